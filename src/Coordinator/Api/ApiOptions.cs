namespace Drover.Coordinator.Api;

/// <summary>Who may use the HTTP API. The key comes from configuration or the environment (Api__Key), never from code.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    public const string Header = "X-Api-Key";

    /// <summary>The dashboard's session cookie: a token derived from the key (never the key), set by <c>POST /api/session</c>.</summary>
    public const string SessionCookie = "drover_session";

    /// <summary>A write made with the session cookie must carry this header (a cross-site form cannot), against CSRF.</summary>
    public const string SessionWriteHeader = "X-Drover-Dashboard";

    /// <summary>The configured key: an administrator's (it makes the other keys, <c>POST /api/keys</c>). Without it, only keys
    /// already in the database open the API.</summary>
    public string? Key { get; set; }

    /// <summary>The identity of <see cref="Key"/>: what migrations it asks for record as RequestedBy.</summary>
    public string KeyName { get; set; } = "admin";

    /// <summary>Whether reads need the key too (default: reads are open).</summary>
    public bool ProtectReads { get; set; }
}
