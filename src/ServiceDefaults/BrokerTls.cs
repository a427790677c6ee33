using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MassTransit;
using RabbitMQ.Client;

namespace Drover.ServiceDefaults;

/// <summary>AMQPS as <see cref="RabbitMqOptions"/> describes it, for MassTransit's connection and for a plain RabbitMQ.Client
/// one: TLS 1.2/1.3, the broker's certificate checked against the configured CA (only that CA: a private PKI needs nothing in
/// the system store) and the name, and this process's certificate for a broker that requires one.</summary>
public static class BrokerTls
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static void Configure(IRabbitMqSslConfigurator ssl, RabbitMqOptions o, string host)
    {
        ssl.Protocol = Protocols;
        ssl.ServerName = o.TlsServerName ?? host;
        ssl.Certificate = ClientCertificate(o);
        if (Validation(o) is { } validation) ssl.CertificateValidationCallback = validation;
    }

    /// <summary>The TLS settings of an endpoint of <paramref name="host"/> (disabled without <see cref="RabbitMqOptions.UseTls"/>).</summary>
    public static SslOption Option(RabbitMqOptions o, string host) => !o.UseTls ? new SslOption() : new SslOption
    {
        Enabled = true, Version = Protocols, ServerName = o.TlsServerName ?? host,
        Certs = ClientCertificate(o) is { } certificate ? [certificate] : null,
        CertificateValidationCallback = Validation(o),
    };

    private static X509Certificate2? ClientCertificate(RabbitMqOptions o) =>
        o.TlsClientCertificate is { } cert && o.TlsClientKey is { } key ? X509Certificate2.CreateFromPemFile(cert, key) : null;

    private static RemoteCertificateValidationCallback? Validation(RabbitMqOptions o)
    {
        if (o.TlsCaCertificate is not { } ca) return null;
        var authority = X509CertificateLoader.LoadCertificateFromFile(ca);
        return (_, certificate, _, errors) => Trusted(certificate, errors, authority);
    }

    /// <summary>The broker's certificate names the server (no name mismatch) and chains to <paramref name="authority"/> alone.</summary>
    public static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 authority)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;   // a lab CA publishes no revocation list
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
