package io.hybridstorage.api.internal;

import static com.google.cloud.storage.spi.v1.StorageRpc.Option.RETURN_RAW_INPUT_STREAM;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.StorageException;
import io.hybridstorage.api.HybridStorageException;
import io.hybridstorage.api.ObjectContent;
import io.hybridstorage.api.ObjectId;
import io.hybridstorage.api.ObjectStore;
import io.hybridstorage.api.ReadRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Object reads: {@code reader} (a lazy, seekable channel), {@code readAllBytes} and {@code
 * downloadTo}, onto {@link ObjectStore#read}. Unlike {@code get}, a missing object is an error
 * here (404), as in the client. Gzip-encoded objects are decompressed unless {@code
 * shouldReturnRawInputStream(true)}, as the client does (see {@link Transcoding}).
 */
final class Downloads {

  private final ObjectStore store;

  Downloads(ObjectStore store) {
    this.store = store;
  }

  ReadChannel reader(BlobId id, BlobSourceOption... options) {
    OptionValues opts = options("reader", id, options);
    boolean raw = opts.flag(RETURN_RAW_INPUT_STREAM);
    try {
      return new ObjectReadChannel(store, Values.id("reader", id, store.site()), opts.conditions(), raw);
    } catch (StorageException invalid) {
      // the client's reader sends nothing until the first read, which fails with GCS's answer
      return ObjectReadChannel.failing(store, ObjectId.of(id.getBucket(), id.getName()), invalid);
    }
  }

  byte[] readAllBytes(BlobId id, BlobSourceOption... options) {
    OptionValues opts = options("readAllBytes", id, options);
    return Errors.call(() -> {
      try (ObjectContent content = store.read(new ReadRequest(Values.id("readAllBytes", id, store.site()),
          io.hybridstorage.api.ByteRange.all(), opts.conditions()))) {
        return Transcoding.decode(content.info(), content.stream(), opts.flag(RETURN_RAW_INPUT_STREAM))
            .readAllBytes();
      } catch (IOException e) {
        throw HybridStorageException.io("readAllBytes", id.getBucket(), id.getName(), store.site(), e);
      }
    });
  }

  void downloadTo(BlobId id, OutputStream out, BlobSourceOption... options) {
    OptionValues opts = options("downloadTo", id, options);
    Errors.run(() -> {
      try (ObjectContent content = store.read(new ReadRequest(Values.id("downloadTo", id, store.site()),
          io.hybridstorage.api.ByteRange.all(), opts.conditions()))) {
        InputStream in = Transcoding.decode(content.info(), content.stream(), opts.flag(RETURN_RAW_INPUT_STREAM));
        in.transferTo(out);
      } catch (IOException e) {
        throw HybridStorageException.io("downloadTo", id.getBucket(), id.getName(), store.site(), e);
      }
    });
  }

  void downloadTo(BlobId id, Path path, BlobSourceOption... options) {
    try (OutputStream out = Files.newOutputStream(path)) {
      downloadTo(id, out, options);
    } catch (IOException e) {
      throw Errors.io("downloadTo", id.getBucket(), id.getName(), store.site(), e);
    }
  }

  private OptionValues options(String method, BlobId id, BlobSourceOption... options) {
    return OptionValues.of(id, options, OptionValues.READ, method, store.site());
  }
}
