namespace Drover.Api;

/// <summary>The answer to <c>POST /api/migrations</c> (202): the migration's id and where it starts from (the source the
/// request named, or the host the inventory found the VM on).</summary>
public sealed record MigrationAccepted(Guid Id, string State, string SourceHost);
