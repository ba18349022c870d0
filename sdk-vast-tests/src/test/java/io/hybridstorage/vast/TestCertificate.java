package io.hybridstorage.vast;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed server certificate made at test time by the JDK's own {@code keytool} (so no key
 * material lives in the repository and nothing expires in it): a PKCS12 key store for the server
 * (WireMock) and the certificate alone as PEM, the bundle a client trusts.
 *
 * @param keystore the key pair and certificate, PKCS12, password {@link #PASSWORD}
 * @param pem the certificate, PEM
 */
record TestCertificate(Path keystore, Path pem) {

  static final String PASSWORD = "changeit";

  /**
   * A 2048-bit RSA key and a certificate for subject {@code CN=name} with the subject alternative
   * names {@code san} (keytool syntax, e.g. {@code ip:127.0.0.1}), valid for two days.
   */
  static TestCertificate generate(Path dir, String name, String san) throws IOException, InterruptedException {
    Path keystore = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name,
        "-ext", "san=" + san, "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
        "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keystore.toString(), "-storepass", PASSWORD,
        "-file", pem.toString());
    return new TestCertificate(keystore, pem);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
    }
  }
}
