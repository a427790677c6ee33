using System.Text.RegularExpressions;
using Drover.Api;

namespace Drover.Cli;

/// <summary>What an operator may type where a migration or a job is meant: its id, the first characters of its id (as the
/// dashboard shows them), or — for a migration — the VM's name, meaning its latest migration.</summary>
public static partial class References
{
    public static async Task<Guid> Migration(CoordinatorClient client, string reference, CancellationToken ct)
    {
        if (Guid.TryParse(reference, out var id)) return id;
        var latest = await client.Get<List<MigrationView>>($"/api/migrations?vm={Uri.EscapeDataString(reference)}&limit=1", ct);
        if (latest.Count == 1) return latest[0].Id;
        if (!IdPrefix().IsMatch(reference))
            throw new NotFoundException($"no migration of a VM named '{reference}', and it is not a migration id");
        var recent = await client.Get<List<MigrationView>>("/api/migrations?limit=1000", ct);
        return Single(recent.Select(m => m.Id), reference, "migration");
    }

    public static async Task<Guid> Job(CoordinatorClient client, string reference, CancellationToken ct)
    {
        if (Guid.TryParse(reference, out var id)) return id;
        if (!IdPrefix().IsMatch(reference)) throw new UsageException($"'{reference}' is not a job id");
        var jobs = await client.Get<List<RebalanceView>>("/api/rebalance", ct);
        return Single(jobs.Select(j => j.Id), reference, "job");
    }

    private static Guid Single(IEnumerable<Guid> ids, string prefix, string what)
    {
        var matches = ids.Where(i => i.ToString().StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new NotFoundException($"no {what} id starts with '{prefix}'"),
            _ => throw new UsageException($"'{prefix}' starts {matches.Count} {what} ids ({string.Join(", ", matches.Take(3).Select(m => m.ToString()[..8]))}…): type more of it"),
        };
    }

    /// <summary>At least four characters of an id as printed (hex digits and dashes).</summary>
    [GeneratedRegex("^[0-9a-fA-F][0-9a-fA-F-]{3,35}$")]
    private static partial Regex IdPrefix();
}
