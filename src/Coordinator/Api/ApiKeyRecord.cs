using Drover.Api;

namespace Drover.Coordinator.Api;

/// <summary>An API key as the coordinator keeps it: its identity and role, and only hashes (SHA-256) of the key and of the
/// dashboard session token derived from it — a copy of the database opens nothing.</summary>
public sealed class ApiKeyRecord
{
    public required string Name { get; set; }

    public ApiRole Role { get; set; }

    public required string KeyHash { get; set; }

    public required string SessionHash { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The identity whose key made this one.</summary>
    public string? CreatedBy { get; set; }

    /// <summary>Set when revoked: the key no longer opens anything; the row stays for the record.</summary>
    public DateTime? RevokedAt { get; set; }
}

/// <summary>Who a request comes from: the name its key was made for, and what it may do.</summary>
public sealed record ApiIdentity(string Name, ApiRole Role);
