package io.hybridstorage.gateway;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.util.Date;

/** The real client pointed at a gateway, sending a bearer token as a BU's job would. */
final class BearerClients {

  private BearerClients() {}

  static Storage client(Gateway gateway, String token) {
    return StorageOptions.http()
        .setServiceFactory(new HttpStorageOptions.HttpStorageFactory())
        .setHost(gateway.endpoint().toString())
        .setProjectId("retail")
        .setCredentials(GoogleCredentials.create(new AccessToken(token, new Date(System.currentTimeMillis()
            + 3_600_000))))
        .build()
        .getService();
  }
}
