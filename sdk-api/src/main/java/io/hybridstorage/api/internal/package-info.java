/**
 * The {@code Storage} facade: {@link io.hybridstorage.api.internal.StorageFacade} implements the
 * GCS client's {@code com.google.cloud.storage.Storage} over one {@link
 * io.hybridstorage.api.ObjectStore}. Not API: users get it from {@code HybridStorageOptions}.
 *
 * <p>Layout by concern: {@code Uploads} (create, createFrom, writer), {@code Downloads} (reader,
 * readAllBytes, downloadTo), {@code ObjectOps} (get, update, delete, compose, copy, move, restore,
 * signUrl), {@code BucketOps}, {@code Pages} (listings), {@code ControlPlane} (GCS-only calls passed
 * to a native client or refused with 501), {@code OptionValues} (the option policy), {@code
 * Values} (conversions, binding to the facade) and {@code Errors} (the one translation of store
 * errors into {@code StorageException}). The GCS client's package-private constructors and option
 * getters are reached only through {@code com.google.cloud.storage.HybridBridge}.
 */
@javax.annotation.ParametersAreNonnullByDefault
package io.hybridstorage.api.internal;
