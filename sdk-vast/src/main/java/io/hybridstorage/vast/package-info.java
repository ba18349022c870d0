/**
 * The VAST Data (S3 protocol) backend: {@link io.hybridstorage.vast.VastStore}, an {@link
 * io.hybridstorage.api.ObjectStore} over the AWS SDK v2 S3 client with GCS semantics
 * (generations in object metadata, preconditions, CRC32C, streamed multipart uploads), configured
 * by {@link io.hybridstorage.vast.VastStoreConfig}. See {@code VastStore}'s javadoc for what is
 * native, what is emulated and the limits of each.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.vast;
