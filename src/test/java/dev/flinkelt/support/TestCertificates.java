package dev.flinkelt.support;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * A certificate authority and a server certificate it signed for {@code localhost} and {@code
 * 127.0.0.1}, as PEM files: what a TLS-only test server presents and what a client verifies with
 * {@code sslmode=verify-full}.
 */
public record TestCertificates(Path caCert, Path serverCert, Path serverKey) {

    /** A new CA and server certificate under {@code dir}. */
    public static TestCertificates create(Path dir, String caName) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair ca = gen.generateKeyPair();
        KeyPair server = gen.generateKeyPair();
        X500Name caSubject = new X500Name("CN=" + caName);
        Instant now = Instant.now();
        Date from = Date.from(now.minus(Duration.ofDays(1)));
        Date to = Date.from(now.plus(Duration.ofDays(30)));
        ContentSigner caSigner =
                new JcaContentSignerBuilder("SHA256withRSA").build(ca.getPrivate());
        X509CertificateHolder caCert =
                new JcaX509v3CertificateBuilder(
                                caSubject, BigInteger.ONE, from, to, caSubject, ca.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                        .build(caSigner);
        X509CertificateHolder serverCert =
                new JcaX509v3CertificateBuilder(
                                caSubject,
                                BigInteger.TWO,
                                from,
                                to,
                                new X500Name("CN=localhost"),
                                server.getPublic())
                        .addExtension(
                                Extension.subjectAlternativeName,
                                false,
                                new GeneralNames(
                                        new GeneralName[] {
                                            new GeneralName(GeneralName.dNSName, "localhost"),
                                            new GeneralName(GeneralName.iPAddress, "127.0.0.1")
                                        }))
                        .build(caSigner);
        Files.createDirectories(dir);
        Path caFile = pem(dir.resolve("ca.crt"), "CERTIFICATE", caCert.getEncoded());
        Path certFile = pem(dir.resolve("server.crt"), "CERTIFICATE", serverCert.getEncoded());
        Path keyFile =
                pem(dir.resolve("server.key"), "PRIVATE KEY", server.getPrivate().getEncoded());
        // PostgreSQL refuses a key others may read
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        return new TestCertificates(caFile, certFile, keyFile);
    }

    private static Path pem(Path file, String type, byte[] der) throws Exception {
        String body =
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der);
        Files.writeString(
                file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file;
    }
}
