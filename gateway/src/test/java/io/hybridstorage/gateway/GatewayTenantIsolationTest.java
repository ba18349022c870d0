package io.hybridstorage.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageBatchResult;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.Profile;
import io.hybridstorage.memory.InMemoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A token issued for one business unit reaches nothing of another, on every route: read,
 * download, list, upload (each kind), patch, delete, copy and rewrite from or to it, compose in
 * it, a batch holding any of these, and another tenant's resumable upload session. The calls go
 * through the real client with a bearer token, as a BU's job would send them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GatewayTenantIsolationTest {

  private static final Profile SALES = new Profile("sales", List.of("sales-data"), List.of());
  private static final Profile FINANCE = new Profile("finance", List.of("fin-data"), List.of());

  private static Gateway gateway;
  private static Storage sales;
  private static Storage finance;
  private static Storage operators;

  @BeforeAll
  static void start() {
    gateway = Gateway.builder(new InMemoryStore("dc1"))
        .token("sales-token", SALES)
        .token("finance-token", FINANCE)
        .unboundedToken("operators-token")
        .stopTimeout(Duration.ofSeconds(1))
        .start();
    sales = client("sales-token");
    finance = client("finance-token");
    operators = client("operators-token");
    operators.create(BucketInfo.of("sales-data"));
    operators.create(BucketInfo.of("fin-data"));
    finance.create(BlobInfo.newBuilder("fin-data", "ledger.csv").build(), bytes("secret ledger"));
    sales.create(BlobInfo.newBuilder("sales-data", "orders.csv").build(), bytes("orders"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (Storage s : List.of(sales, finance, operators)) {
      s.close();
    }
    gateway.close();
  }

  static Storage client(String token) {
    return BearerClients.client(gateway, token);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void forbidden(Consumer<Storage> call) {
    StorageException e = catchThrowableOfType(StorageException.class, () -> call.accept(sales));
    assertThat(e).as("expected 403").isNotNull();
    assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
    assertThat(e.getMessage()).contains("sales").contains("fin-data");
  }

  @Test
  void readsDownloadsAndListingsOfAnotherBusinessUnitAre403() {
    forbidden(s -> s.get("fin-data", "ledger.csv"));
    forbidden(s -> s.readAllBytes(BlobId.of("fin-data", "ledger.csv")));
    forbidden(s -> s.list("fin-data"));
    forbidden(s -> s.get("fin-data"));
    assertThat(StreamSupport.stream(sales.list().iterateAll().spliterator(), false).map(b -> b.getName()))
        .containsExactly("sales-data");
    assertThat(sales.readAllBytes(BlobId.of("sales-data", "orders.csv"))).isEqualTo(bytes("orders"));
  }

  @Test
  void writesOfEveryKindIntoAnotherBusinessUnitAre403() {
    forbidden(s -> s.create(BlobInfo.newBuilder("fin-data", "planted").build(), bytes("x")));
    forbidden(s -> s.create(BlobInfo.newBuilder("fin-data", "planted").build(), new byte[0],
        Storage.BlobTargetOption.doesNotExist()));
    forbidden(s -> {
      try (WriteChannel w = s.writer(BlobInfo.newBuilder("fin-data", "planted").build())) {
        w.write(ByteBuffer.wrap(bytes("x")));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    forbidden(s -> s.update(BlobInfo.newBuilder("fin-data", "ledger.csv").setMetadata(Map.of("k", "v")).build()));
    forbidden(s -> s.delete("fin-data", "ledger.csv"));
    forbidden(s -> s.compose(Storage.ComposeRequest.newBuilder().addSource("ledger.csv")
        .setTarget(BlobInfo.newBuilder("fin-data", "composed").build()).build()));
    assertThat(operators.get("fin-data", "planted")).isNull();
    assertThat(operators.get("fin-data", "composed")).isNull();
    assertThat(operators.readAllBytes(BlobId.of("fin-data", "ledger.csv"))).isEqualTo(bytes("secret ledger"));
  }

  @Test
  void copiesAndRewritesFromOrIntoAnotherBusinessUnitAre403() {
    forbidden(s -> s.copy(Storage.CopyRequest.of(BlobId.of("fin-data", "ledger.csv"), BlobId.of("sales-data",
        "stolen.csv"))).getResult());
    forbidden(s -> s.copy(Storage.CopyRequest.of(BlobId.of("sales-data", "orders.csv"), BlobId.of("fin-data",
        "planted.csv"))).getResult());
    assertThat(operators.get("sales-data", "stolen.csv")).isNull();
    assertThat(operators.get("fin-data", "planted.csv")).isNull();
  }

  @Test
  void aBatchDoesNotWidenATokensReach() {
    StorageBatch batch = sales.batch();
    StorageBatchResult<Blob> own = batch.get(BlobId.of("sales-data", "orders.csv"));
    StorageBatchResult<Blob> theirs = batch.get(BlobId.of("fin-data", "ledger.csv"));
    StorageBatchResult<Boolean> delete = batch.delete(BlobId.of("fin-data", "ledger.csv"));
    batch.submit();
    assertThat(own.get().getSize()).isEqualTo(6);
    assertThat(catchThrowableOfType(StorageException.class, theirs::get).getCode()).isEqualTo(403);
    assertThat(catchThrowableOfType(StorageException.class, delete::get).getCode()).isEqualTo(403);
    assertThat(operators.get("fin-data", "ledger.csv")).isNotNull();
  }

  @Test
  void anotherTenantsUploadSessionIsNotFound() throws IOException {
    RawHttp.Response started = RawHttp.send(gateway.port(), "POST",
        "/upload/storage/v1/b/fin-data/o?uploadType=resumable&name=report.csv",
        Map.of("Authorization", "Bearer finance-token", "Content-Type", "application/json"), bytes("{}"));
    assertThat(started.status()).isEqualTo(200);
    String session = started.header("Location").substring(started.header("Location").indexOf("/upload/"));
    RawHttp.Response hijack = RawHttp.send(gateway.port(), "PUT", session,
        Map.of("Authorization", "Bearer sales-token", "Content-Range", "bytes 0-2/3"), bytes("bad"));
    assertThat(hijack.status()).isEqualTo(404);
    RawHttp.Response own = RawHttp.send(gateway.port(), "PUT", session,
        Map.of("Authorization", "Bearer finance-token", "Content-Range", "bytes 0-2/3"), bytes("ok!"));
    assertThat(own.status()).as(own.text()).isEqualTo(200);
    assertThat(operators.readAllBytes(BlobId.of("fin-data", "report.csv"))).isEqualTo(bytes("ok!"));
  }

  @Test
  void noTokenOrAnUnknownOneIs401() throws IOException {
    RawHttp.Response none = RawHttp.get(gateway.port(), "/storage/v1/b/sales-data/o");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.text()).contains("\"code\":401");
    RawHttp.Response unknown = RawHttp.send(gateway.port(), "GET", "/storage/v1/b/sales-data/o",
        Map.of("Authorization", "Bearer guessed"), new byte[0]);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.text()).doesNotContain("guessed");
    RawHttp.Response basic = RawHttp.send(gateway.port(), "GET", "/storage/v1/b/sales-data/o",
        Map.of("Authorization", "Basic c2FsZXMtdG9rZW4="), new byte[0]);
    assertThat(basic.status()).isEqualTo(401);
    // health endpoints need no token
    assertThat(RawHttp.get(gateway.port(), "/healthz").status()).isEqualTo(200);
    assertThat(RawHttp.get(gateway.port(), "/readyz").status()).isEqualTo(200);
  }
}
