package io.hybridstorage.vast;

import io.hybridstorage.api.Names;
import javax.annotation.Nullable;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The last line of defence behind {@link VastStore#checkKey}: refuses (400) any S3 request whose
 * key, or copy source ({@code x-amz-copy-source}, which the server parses as a path too), has a
 * {@code .} or {@code ..} segment, before it is marshalled — the AWS SDK puts keys into the path
 * as they are. Object operations check their names first, with a message naming the operation;
 * this catches a path that does not.
 */
final class DotSegmentGuard implements ExecutionInterceptor {

  private final String site;

  DotSegmentGuard(String site) {
    this.site = site;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String operation = op == null ? "S3 request" : op;
    String bucket = field(request, "Bucket");
    Names.checkNoDotSegments(operation, bucket, field(request, "Key"), site);
    // CopyObject and UploadPartCopy: the client has already folded SourceBucket/SourceKey into
    // CopySource ("bucket/key" with the key's slashes and dots as they are, "?versionId=" after)
    String copySource = field(request, "CopySource");
    if (copySource != null) {
      int query = copySource.indexOf('?');
      Names.checkNoDotSegments(operation, bucket, query < 0 ? copySource : copySource.substring(0, query), site);
    }
  }

  @Nullable
  private static String field(SdkRequest request, String name) {
    return request.getValueForField(name, String.class).orElse(null);
  }
}
