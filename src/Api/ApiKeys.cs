using System.Text.Json.Serialization;

namespace Drover.Api;

/// <summary>What an API key may do. <c>Read</c>: look (when reads are protected at all); <c>Operate</c>: also start, change and
/// cancel migrations and fleet jobs; <c>Admin</c>: also manage the keys.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApiRole>))]
public enum ApiRole
{
    Read,
    Operate,
    Admin,
}

/// <summary>POST /api/keys: a new key for <see cref="Name"/> with <see cref="Role"/>.</summary>
public sealed record ApiKeyRequest
{
    /// <summary>Who the key is for: 1-64 lowercase letters, digits, '.', '_', '@' or '-'. Recorded as RequestedBy on what it asks.</summary>
    public string? Name { get; init; }

    public ApiRole? Role { get; init; }
}

/// <summary>The answer to POST /api/keys: the key itself, shown this once (the coordinator keeps only its hash).</summary>
public sealed record ApiKeyCreated(string Name, ApiRole Role, string Key);

/// <summary>A key as GET /api/keys lists it: never the key.</summary>
public sealed record ApiKeyView(string Name, ApiRole Role, DateTime CreatedAt, string? CreatedBy, DateTime? RevokedAt);
