package io.hybridstorage.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageException;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GcsErrorsTest {

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 409, 412, 416, 429, 500, 503})
  void keepsTheGcsCodeAndNamesOperationObjectAndSite(int code) {
    StorageException cause = new StorageException(code, "boom\nGET https://storage.googleapis.com/...");

    HybridStorageException e = GcsErrors.translate(cause, "read", "b", "o", "gcp");

    assertThat(e.code()).isEqualTo(code);
    assertThat(e.reason()).isEqualTo(GcsErrors.reasonOf(code));
    assertThat(e.operation()).isEqualTo("read");
    assertThat(e.bucket()).isEqualTo("b");
    assertThat(e.object()).isEqualTo("o");
    assertThat(e.site()).isEqualTo("gcp");
    assertThat(e.getMessage()).isEqualTo("read gs://b/o on gcp: boom");
    assertThat(e.getCause()).isSameAs(cause);
    assertThat(e.isRetryable()).isEqualTo(HybridStorageException.isRetryableCode(code));
  }

  @Test
  void keepsTheReasonGcsGave() {
    StorageException cause = new StorageException(412, "Precondition Failed", "conditionNotMet", null);

    assertThat(GcsErrors.translate(cause, "write", "b", "o", "gcp").reason()).isEqualTo("conditionNotMet");
  }

  @Test
  void doesNotRepeatTheTargetAHybridFacadeAlreadyNamed() {
    HybridStorageException inner = HybridStorageException.preconditionFailed("write", "b", "o", "mem",
        "ifGenerationMatch=0 failed, current=5");
    StorageException fromFacade = new StorageException(412, inner.getMessage(), "conditionNotMet", inner);

    HybridStorageException e = GcsErrors.translate(fromFacade, "write", "b", "o", "gcp");

    assertThat(e.getMessage()).isEqualTo("write gs://b/o on gcp: ifGenerationMatch=0 failed, current=5");
  }

  @Test
  void takesMessageAndReasonFromTheJsonErrorOfAFailedUpload() {
    String body = "{\"error\":{\"code\":412,\"message\":\"ifGenerationMatch=0 failed\","
        + "\"errors\":[{\"reason\":\"conditionNotMet\",\"message\":\"x\"}]}}";
    com.google.api.client.http.HttpResponseException http =
        new com.google.api.client.http.HttpResponseException.Builder(412, "Precondition Failed",
            new com.google.api.client.http.HttpHeaders()).setContent(body).build();
    StorageException upload = new StorageException(412, "412 Precondition Failed\n\t|> PUT http://...", "", http);

    HybridStorageException e = GcsErrors.translate(upload, "write", "b", "o", "gcp");

    assertThat(e.reason()).isEqualTo("conditionNotMet");
    assertThat(e.getMessage()).isEqualTo("write gs://b/o on gcp: ifGenerationMatch=0 failed");
  }

  @Test
  void transportFailuresOfTheClientAreRetryable503() {
    StorageException cause = new StorageException(new IOException("connection reset"));

    HybridStorageException e = GcsErrors.translate(cause, "list", "b", null, "gcp");

    assertThat(e.code()).isEqualTo(503);
    assertThat(e.isRetryable()).isTrue();
    assertThat(e.getMessage()).startsWith("list gs://b on gcp: ");
  }

  @Test
  void aStorageThatLacksTheCallGives501() {
    StorageException wrapped = new StorageException(0, "Unknown option: VERSIONS",
        new UnsupportedOperationException("Unknown option: VERSIONS"));

    assertThat(GcsErrors.translate(wrapped, "list", "b", null, "gcp").code()).isEqualTo(501);
    assertThat(GcsErrors.translate(new UnsupportedOperationException("x"), "list", "b", null, "gcp").code())
        .isEqualTo(501);
  }

  @Test
  void unwrapsChannelAndFutureWrappers() {
    StorageException cause = new StorageException(404, "No such object");
    IOException fromChannel = new IOException(cause);
    ExecutionException fromFuture = new ExecutionException(new IOException(cause));

    assertThat(GcsErrors.translate(fromChannel, "read", "b", "o", "gcp").code()).isEqualTo(404);
    assertThat(GcsErrors.translate(fromFuture, "write", "b", "o", "gcp").code()).isEqualTo(404);
    assertThat(GcsErrors.translate(new IOException("disk"), "write", "b", "o", "gcp").code()).isEqualTo(503);
  }

  @Test
  void callPassesOurOwnExceptionsThroughUnchanged() {
    HybridStorageException ours = HybridStorageException.invalid("write", "b", "o", "gcp", "bad");

    HybridStorageException thrown = org.assertj.core.api.Assertions.catchThrowableOfType(HybridStorageException.class,
        () -> GcsErrors.call("copy", "x", "y", "gcp", () -> {
          throw ours;
        }));

    assertThat(thrown).isSameAs(ours);
  }
}
