using System.ComponentModel.DataAnnotations;

namespace Drover.ServiceDefaults;

/// <summary>What kind of queue Drover declares: a classic queue lives on one node; a quorum queue is replicated over a
/// cluster's nodes and survives losing one of them.</summary>
public enum RabbitMqQueueType
{
    Classic,
    Quorum,
}

/// <summary>Where the bus is. Credentials come from configuration or the environment (RabbitMq__Password), never from code.</summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    public const string Section = "RabbitMq";

    [Required]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; set; } = 5672;

    /// <summary>The nodes of a cluster, "host:port" each; when given they replace <see cref="Host"/> and <see cref="Port"/>
    /// and the connection fails over from one to the next.</summary>
    public List<string> Hosts { get; set; } = [];

    /// <summary>Quorum for a cluster: every queue Drover declares is then replicated.</summary>
    public RabbitMqQueueType QueueType { get; set; } = RabbitMqQueueType.Classic;

    [Required]
    public string VirtualHost { get; set; } = "/";

    [Required]
    public string Username { get; set; } = "";

    [Required]
    public string Password { get; set; } = "";

    /// <summary>AMQPS: TLS 1.2 or 1.3 to the broker (its port is then the TLS listener's, e.g. 5671).</summary>
    public bool UseTls { get; set; }

    /// <summary>With TLS: the CA certificate (PEM) the broker's certificate must chain to; none: the system's trust store.</summary>
    public string? TlsCaCertificate { get; set; }

    /// <summary>With TLS: this process's certificate and key (PEM), for a broker that asks for a client certificate.</summary>
    public string? TlsClientCertificate { get; set; }

    public string? TlsClientKey { get; set; }

    /// <summary>With TLS: the name the broker's certificate must carry; none: the host connected to.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>The nodes to connect to, in order of preference.</summary>
    public IReadOnlyList<(string Host, int Port)> Nodes => Hosts.Count == 0 ? [(Host, Port)] : Hosts.Select(Parse).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (UseTls && (TlsClientCertificate is null) != (TlsClientKey is null))
            yield return new ValidationResult("RabbitMq:TlsClientCertificate and TlsClientKey go together", [nameof(TlsClientCertificate), nameof(TlsClientKey)]);
        foreach (string? file in new[] { TlsCaCertificate, TlsClientCertificate, TlsClientKey })
            if (UseTls && file is not null && !File.Exists(file))
                yield return new ValidationResult($"RabbitMq TLS file '{file}' does not exist", [nameof(UseTls)]);
        foreach (string node in Hosts)
            if (!TryParse(node, out _))
                yield return new ValidationResult($"RabbitMq:Hosts entry '{node}' is not host:port", [nameof(Hosts)]);
    }

    private static (string Host, int Port) Parse(string node) => TryParse(node, out var n) ? n : throw new FormatException($"'{node}' is not host:port");

    private static bool TryParse(string node, out (string Host, int Port) parsed)
    {
        int colon = node.LastIndexOf(':');
        parsed = default;
        if (colon <= 0 || !int.TryParse(node[(colon + 1)..], out int port) || port is < 1 or > 65535) return false;
        parsed = (node[..colon], port);
        return true;
    }
}
