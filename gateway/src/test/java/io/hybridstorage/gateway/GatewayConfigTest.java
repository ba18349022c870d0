package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageConfigException;
import io.hybridstorage.api.HybridStorageOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway from the SDK's YAML: its gateway section, the access file, tokens from the environment. */
class GatewayConfigTest {

  @TempDir
  Path dir;

  /** The test world's YAML with {@code gatewayLines} in place of its gateway section's access line. */
  static Path config(Path dir, String accessLine, String extraGatewayLines) throws IOException {
    String yaml;
    try (InputStream in = GatewayConfigTest.class.getClassLoader().getResourceAsStream("config/three-sites.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path access = dir.resolve("access.yaml");
    Files.writeString(access, "tokens:\n  sales: [\"tok-sales\"]\n  \"*\": [\"tok-ops\"]\n");
    yaml = yaml.replace("  accessFile: ACCESS_FILE\n", accessLine.replace("ACCESS_FILE", access.toString())
        + extraGatewayLines);
    Path file = dir.resolve("hybrid.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void tokensFromTheAccessFileAndTheEnvironmentReachTheirProfilesOnly() throws Exception {
    HybridStorageOptions options = HybridStorageOptions.fromFile(config(dir, "  accessFile: ACCESS_FILE\n", ""));
    try (Gateway gateway = GatewayConfig.start(options, Map.of(GatewayConfig.TOKENS_ENV, "finance:tok-fin")::get);
        Storage ops = BearerClients.client(gateway, "tok-ops");
        Storage sales = BearerClients.client(gateway, "tok-sales");
        Storage finance = BearerClients.client(gateway, "tok-fin")) {
      ops.create(BucketInfo.of("sales-data"));
      ops.create(BucketInfo.of("fin-data"));
      sales.create(BlobInfo.newBuilder("sales-data", "q4.csv").build(), "rows".getBytes(StandardCharsets.UTF_8));
      finance.create(BlobInfo.newBuilder("fin-data", "ledger").build(), "money".getBytes(StandardCharsets.UTF_8));
      assertThat(ops.readAllBytes(BlobId.of("sales-data", "q4.csv"))).asString(StandardCharsets.UTF_8).isEqualTo("rows");
      assertThat(catchThrowableOfType(StorageException.class, () -> sales.get("fin-data", "ledger")).getCode())
          .isEqualTo(403);
      assertThat(catchThrowableOfType(StorageException.class, () -> finance.get("sales-data", "q4.csv")).getCode())
          .isEqualTo(403);
      assertThat(RawHttp.get(gateway.port(), "/storage/v1/b/sales-data/o").status()).isEqualTo(401);
    }
  }

  @Test
  void anonymousCallsCanBeBoundedByAProfile() throws Exception {
    HybridStorageOptions options = HybridStorageOptions.fromFile(config(dir, "  accessFile: ACCESS_FILE\n",
        "  anonymous: sales\n"));
    try (Gateway gateway = GatewayConfig.start(options, k -> null);
        Storage ops = BearerClients.client(gateway, "tok-ops")) {
      ops.create(BucketInfo.of("sales-data"));
      ops.create(BucketInfo.of("fin-data"));
      assertThat(RawHttp.get(gateway.port(), "/storage/v1/b/sales-data/o").status()).isEqualTo(200);
      assertThat(RawHttp.get(gateway.port(), "/storage/v1/b/fin-data/o").status()).isEqualTo(403);
    }
  }

  @Test
  void signersOfTheAccessFileVerifySignedUrls() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    java.security.KeyPair pair = generator.generateKeyPair();
    Path pem = dir.resolve("sales.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes(
        StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    Path file = config(dir, "  accessFile: ACCESS_FILE\n", "");
    Files.writeString(dir.resolve("access.yaml"), "tokens:\n  \"*\": [\"tok-ops\"]\nsigners:\n"
        + "  - {account: sa@retail.iam, publicKeyFile: " + pem + ", profile: sales}\n");
    try (Gateway gateway = GatewayConfig.start(HybridStorageOptions.fromFile(file), k -> null);
        Storage ops = BearerClients.client(gateway, "tok-ops")) {
      ops.create(BucketInfo.of("sales-data"));
      ops.create(BlobInfo.newBuilder("sales-data", "a.txt").build(), "A".getBytes(StandardCharsets.UTF_8));
      com.google.auth.oauth2.ServiceAccountCredentials key = com.google.auth.oauth2.ServiceAccountCredentials
          .newBuilder().setClientEmail("sa@retail.iam").setPrivateKey(pair.getPrivate()).setPrivateKeyId("1").build();
      java.net.URL url = ops.signUrl(BlobInfo.newBuilder("sales-data", "a.txt").build(), 60,
          java.util.concurrent.TimeUnit.SECONDS, Storage.SignUrlOption.withV4Signature(),
          Storage.SignUrlOption.withHostName(gateway.endpoint().toString()), Storage.SignUrlOption.signWith(key));
      RawHttp.Response r = RawHttp.get(gateway.port(), url.getFile());
      assertThat(r.status()).as(r.text()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("A");
    }
    Files.writeString(dir.resolve("access.yaml"), "tokens: {}\nsigners:\n  - {account: x, profile: sales}\n");
    assertThatThrownBy(() -> GatewayConfig.start(HybridStorageOptions.fromFile(file), k -> null))
        .isInstanceOf(HybridStorageConfigException.class).hasMessageContaining("signers[0]");
  }

  @Test
  void mistakesNameTheFileAndTheKey() throws Exception {
    Path file = config(dir, "  accessFile: ACCESS_FILE\n", "  prot: 8080\n");
    HybridStorageConfigException unknown = catchThrowableOfType(HybridStorageConfigException.class,
        () -> GatewayConfig.start(HybridStorageOptions.fromFile(file), k -> null));
    assertThat(unknown.source()).contains(file.toString());
    assertThat(unknown.problems()).singleElement().asString().startsWith("gateway.prot: unknown key; valid keys here: host");

    Path noProfile = config(dir, "  accessFile: ACCESS_FILE\n", "  anonymous: marketing\n");
    assertThatThrownBy(() -> GatewayConfig.start(HybridStorageOptions.fromFile(noProfile), k -> null))
        .isInstanceOf(HybridStorageConfigException.class).hasMessageContaining("no profile 'marketing'");

    Path plain = config(dir, "  accessFile: ACCESS_FILE\n", "");
    assertThatThrownBy(() -> GatewayConfig.start(HybridStorageOptions.fromFile(plain),
        Map.of(GatewayConfig.TOKENS_ENV, "tok-without-profile")::get))
        .isInstanceOf(HybridStorageConfigException.class).hasMessageContaining("profile:token")
        .hasMessageNotContaining("tok-without-profile");

    HybridStorageOptions selected = HybridStorageOptions.fromFile(plain).toBuilder().profile("sales").build();
    assertThatThrownBy(() -> GatewayConfig.start(selected, k -> null))
        .isInstanceOf(HybridStorageConfigException.class).hasMessageContaining("HYBRID_STORAGE_PROFILE");

    Path missingAccess = config(dir, "  accessFile: /nonexistent/access.yaml\n", "");
    assertThatThrownBy(() -> GatewayConfig.start(HybridStorageOptions.fromFile(missingAccess), k -> null))
        .isInstanceOf(HybridStorageConfigException.class).hasMessageContaining("access file");
  }
}
