using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MassTransit;

namespace Drover.ServiceDefaults;

/// <summary>AMQPS as <see cref="RabbitMqOptions"/> describes it: TLS 1.2/1.3, the broker's certificate checked against the
/// configured CA (only that CA: a private PKI needs nothing in the system store) and the name, and this process's
/// certificate for a broker that requires one.</summary>
public static class BrokerTls
{
    public static void Configure(IRabbitMqSslConfigurator ssl, RabbitMqOptions o, string host)
    {
        ssl.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
        ssl.ServerName = o.TlsServerName ?? host;
        if (o.TlsClientCertificate is { } cert && o.TlsClientKey is { } key)
            ssl.Certificate = X509Certificate2.CreateFromPemFile(cert, key);
        if (o.TlsCaCertificate is { } ca)
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(ca);
            ssl.CertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, authority);
        }
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
