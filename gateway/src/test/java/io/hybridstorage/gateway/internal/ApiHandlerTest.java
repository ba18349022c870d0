package io.hybridstorage.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ApiHandlerTest {

  @Test
  void theDebugQueryLogHidesWhatAuthorizes() {
    String q = "X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=sa%40x%2F20261207&X-Goog-Signature=abcdef"
        + "&prefix=a%2F&pageToken=secretpage&upload_id=s3ss10n&key=k&alt=media";
    assertThat(ApiHandler.redacted(q)).isEqualTo("X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=REDACTED"
        + "&X-Goog-Signature=REDACTED&prefix=a%2F&pageToken=REDACTED&upload_id=REDACTED&key=REDACTED&alt=media");
  }
}
