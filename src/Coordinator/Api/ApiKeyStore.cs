using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Drover.Api;
using Drover.Coordinator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Drover.Coordinator.Api;

/// <summary>
/// The API's identities: the configured key (<c>Api:Key</c>, an administrator named <c>Api:KeyName</c>: the first key, which
/// makes the others) and the keys made through <c>POST /api/keys</c>, kept hashed in the coordinator's database and so
/// shared by every coordinator on it. A coordinator without a database (a test's in-process server) knows the configured key only.
/// </summary>
public sealed partial class ApiKeyStore(IOptions<ApiOptions> options, TimeProvider clock, IServiceProvider services)
{
    private IDbContextFactory<CoordinatorDbContext>? Db => services.GetService<IDbContextFactory<CoordinatorDbContext>>();

    public const string NameRule = "1-64 lowercase letters, digits, '.', '_', '@' or '-'";

    [GeneratedRegex("^[a-z0-9][a-z0-9._@-]{0,63}$")]
    private static partial Regex NamePattern();

    public static bool IsName(string? name) => name is not null && NamePattern().IsMatch(name);

    public async Task<ApiIdentity?> FindByKey(string key, CancellationToken ct)
    {
        var o = options.Value;
        if (!string.IsNullOrEmpty(o.Key) && Same(key, o.Key)) return new ApiIdentity(o.KeyName, ApiRole.Admin);
        if (Db is not { } factory || key.Length > 200) return null;
        string hash = Hash(key);
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash && k.RevokedAt == null, ct);
        return row is null ? null : new ApiIdentity(row.Name, row.Role);
    }

    /// <summary>The dashboard's session cookie for a key: its identity's name and a token derived from the key (an HMAC of a
    /// fixed text), never the key; every coordinator that knows the key accepts it.</summary>
    public static string SessionCookie(ApiIdentity who, string key) => $"{who.Name}.{SessionToken(key)}";

    public async Task<ApiIdentity?> FindBySession(string cookie, CancellationToken ct)
    {
        int dot = cookie.LastIndexOf('.');
        if (dot <= 0 || cookie.Length > 300) return null;
        string name = cookie[..dot], token = cookie[(dot + 1)..];
        var o = options.Value;
        if (!string.IsNullOrEmpty(o.Key) && name == o.KeyName) return Same(token, SessionToken(o.Key)) ? new ApiIdentity(o.KeyName, ApiRole.Admin) : null;
        if (Db is not { } factory) return null;
        string hash = Hash(token);
        await using var db = await factory.CreateDbContextAsync(ct);
        var row = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Name == name && k.SessionHash == hash && k.RevokedAt == null, ct);
        return row is null ? null : new ApiIdentity(row.Name, row.Role);
    }

    /// <summary>Makes a key for <paramref name="name"/>; the key itself, or why not (the name is the configured key's, or taken).</summary>
    public async Task<(string? Key, string? Refusal)> Add(string name, ApiRole role, string createdBy, CancellationToken ct)
    {
        if (name == options.Value.KeyName) return (null, $"'{name}' is the configured key's identity (Api:KeyName)");
        await using var db = await RequireDb().CreateDbContextAsync(ct);
        var existing = await db.ApiKeys.FirstOrDefaultAsync(k => k.Name == name, ct);
        if (existing is { RevokedAt: null }) return (null, $"'{name}' has a key already: revoke it first");
        if (existing is not null) db.ApiKeys.Remove(existing);   // a revoked name may be given again
        string key = "drv_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        db.ApiKeys.Add(new ApiKeyRecord
        {
            Name = name, Role = role, KeyHash = Hash(key), SessionHash = Hash(SessionToken(key)), CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = createdBy,
        });
        await db.SaveChangesAsync(ct);
        return (key, null);
    }

    public async Task<IReadOnlyList<ApiKeyView>> List(CancellationToken ct)
    {
        await using var db = await RequireDb().CreateDbContextAsync(ct);
        var rows = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ToListAsync(ct);
        return rows.Select(k => new ApiKeyView(k.Name, k.Role, k.CreatedAt, k.CreatedBy, k.RevokedAt)).ToList();
    }

    /// <summary>Revokes <paramref name="name"/>'s key; false when it has none.</summary>
    public async Task<bool> Revoke(string name, CancellationToken ct)
    {
        await using var db = await RequireDb().CreateDbContextAsync(ct);
        var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Name == name && k.RevokedAt == null, ct);
        if (row is null) return false;
        row.RevokedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    private IDbContextFactory<CoordinatorDbContext> RequireDb() => Db ?? throw new InvalidOperationException("This coordinator has no database for API keys");

    private static string SessionToken(string key) => Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), "drover dashboard session"u8));

    private static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool Same(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
