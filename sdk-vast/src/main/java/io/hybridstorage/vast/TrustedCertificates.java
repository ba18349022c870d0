package io.hybridstorage.vast;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CA certificates of {@link VastStoreConfig#trustedCertificates()}: read from a PEM bundle, and
 * trusted <em>in addition to</em> the JVM's default trust (its {@code cacerts}, or {@code
 * javax.net.ssl.trustStore}), so one store can reach a cluster signed by an internal CA without
 * trusting that CA JVM-wide, and without losing the public CAs other clients of the JVM rely on.
 *
 * <p>The two are merged into one key store of trust anchors checked by the JDK's own PKIX trust
 * manager; the HTTP client still verifies the endpoint's host name. Certificates are only ever
 * named by their subject in logs and messages.
 */
final class TrustedCertificates {

  private TrustedCertificates() {}

  /**
   * The X.509 certificates of the PEM bundle {@code pemFile} (text between them, such as OpenSSL's
   * {@code subject=} lines, is skipped).
   *
   * @throws IllegalArgumentException naming the field and the path when the file cannot be read,
   *     is not a bundle of certificates, or holds none
   */
  static List<X509Certificate> read(Path pemFile) {
    Collection<? extends Certificate> read;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(pemFile))) {
      read = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("trustedCertificates (" + pemFile + ") cannot be read: " + e, e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("trustedCertificates (" + pemFile
          + ") must be a PEM bundle of X.509 certificates (-----BEGIN CERTIFICATE----- blocks only): "
          + e.getMessage(), e);
    }
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate c : read) {
      if (c instanceof X509Certificate x) {
        certificates.add(x);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("trustedCertificates (" + pemFile
          + ") holds no certificate: give a PEM bundle of the CA certificates that sign the endpoint's");
    }
    return List.copyOf(certificates);
  }

  /** The subject names of {@code certificates}, for logs. */
  static List<String> subjects(List<X509Certificate> certificates) {
    return certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList();
  }

  /** Trust managers that trust the JVM's default trust anchors and {@code certificates}. */
  static TrustManager[] trustManagers(List<X509Certificate> certificates) {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate c : jvmDefaultAnchors()) {
        anchors.setCertificateEntry("jvm-" + n++, c);
      }
      for (X509Certificate c : certificates) {
        anchors.setCertificateEntry("trusted-" + n++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(anchors);
      return tmf.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a trust manager from the JVM's default trust and "
          + "trustedCertificates: " + e, e);
    }
  }

  private static List<X509Certificate> jvmDefaultAnchors() throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    List<X509Certificate> anchors = new ArrayList<>();
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x) {
        anchors.addAll(List.of(x.getAcceptedIssuers()));
      }
    }
    return anchors;
  }
}
