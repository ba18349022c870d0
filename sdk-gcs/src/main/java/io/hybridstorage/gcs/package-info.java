/**
 * The GCS backend: {@link io.hybridstorage.gcs.GcsStore}, the {@code ObjectStore} SPI over the
 * real {@code com.google.cloud.storage.Storage} client, and {@link
 * io.hybridstorage.gcs.GcsStoreProvider}, which opens it for sites of kind {@code gcs}.
 *
 * <p>GCS is the authority where it holds a replica: it assigns generations and decides
 * preconditions; this backend never accepts a caller-assigned generation (501).
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.gcs;
