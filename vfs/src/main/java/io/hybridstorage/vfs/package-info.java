/**
 * An Apache Commons VFS provider for the {@code hybrid://bucket/path} scheme over the hybrid
 * {@code com.google.cloud.storage.Storage}: {@link io.hybridstorage.vfs.HybridFileProvider} (its
 * javadoc maps each VFS operation to the Storage calls it makes) and {@link
 * io.hybridstorage.vfs.HybridFileSystemConfigBuilder}. Registered for {@code
 * StandardFileSystemManager} by {@code META-INF/vfs-providers.xml}.
 */
package io.hybridstorage.vfs;
