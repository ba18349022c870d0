package io.hybridstorage.sync;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.hybridstorage.gateway.Gateway;

/** The real google-cloud-storage client (JSON API over HTTP) pointed at a gateway that allows anonymous calls. */
final class GatewayClient {

  private GatewayClient() {}

  static Storage anonymous(Gateway gateway, String project) {
    return StorageOptions.http().setServiceFactory(new HttpStorageOptions.HttpStorageFactory())
        .setHost(gateway.endpoint().toString()).setProjectId(project).setCredentials(NoCredentials.getInstance())
        .build().getService();
  }
}
