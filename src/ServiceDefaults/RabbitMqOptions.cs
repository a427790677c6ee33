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

    /// <summary>The nodes to connect to, in order of preference.</summary>
    public IReadOnlyList<(string Host, int Port)> Nodes => Hosts.Count == 0 ? [(Host, Port)] : Hosts.Select(Parse).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
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
