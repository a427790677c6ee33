using Drover.Api;
using Spectre.Console;

namespace Drover.Cli;

/// <summary>Following what runs: a progress bar on a terminal, one line per change in a pipe, the final answer as JSON with --json.</summary>
public static class Follow
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public static async Task<int> Migration(DroverCommand.Context x, Guid id, CancellationToken ct)
    {
        var t = x.Terminal;
        MigrationView m;
        if (t.Interactive)
        {
            m = await t.Console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape(id.ToString()[..8]), maxValue: 100);
                    while (true)
                    {
                        var now = await GetAccepted<MigrationView>(x.Client, $"/api/migrations/{id}", ct);
                        task.Value = now.IsFinal && now.State == "Completed" ? 100 : now.PercentComplete;
                        task.Description = Markup.Escape($"{now.Vm} {now.SourceHost} -> {now.DestinationHost ?? "?"}  {now.State}  " +
                            $"{Views.MiB(now.DataRemainingBytes)} left, dirty {Views.MiB(now.DirtyRateBytesPerSecond)}/s");
                        if (now.IsFinal)
                        {
                            task.StopTask();
                            return now;
                        }
                        await Task.Delay(Poll, ct);
                    }
                });
        }
        else
        {
            string last = "";
            while (!(m = await GetAccepted<MigrationView>(x.Client, $"/api/migrations/{id}", ct)).IsFinal)
            {
                string line = Views.Progress(m);
                if (!t.Json && line != last) t.Line(line);
                last = line;
                await Task.Delay(Poll, ct);
            }
        }
        if (t.Json) t.WriteJson(m);
        else t.Line(Views.Describe(m));
        return ExitCodes.ForState(m.State);
    }

    /// <summary>Waits until the job is planned and, when <paramref name="wait"/> and it is not waiting for approval, finished;
    /// prints the moves as they end.</summary>
    public static async Task<int> Job(DroverCommand.Context x, Guid id, bool wait, CancellationToken ct)
    {
        var t = x.Terminal;
        string last = "";
        RebalanceView job;
        while (true)
        {
            job = await GetAccepted<RebalanceView>(x.Client, $"/api/rebalance/{id}", ct);
            bool planned = job.State is not ("Requested" or "Planning");
            if (job.IsFinal || job.State == "AwaitingApproval" || (planned && !wait)) break;
            string line = $"{Views.Short(job.Id)} {job.State}: {job.Moves.Count(m => m.Status == MoveStatus.Completed)} of {job.Moves.Count} moves done" +
                          (job.Moves.FirstOrDefault(m => m.Status == MoveStatus.Running) is { } running ? $", moving {running.Vm} {running.From} -> {running.To}" : "");
            if (planned && !t.Json && line != last) t.Markup(Markup.Escape(line));
            last = line;
            await Task.Delay(Poll, ct);
        }
        if (t.Json) t.WriteJson(job);
        else t.Line(Views.Describe(job));
        return job.State switch { "PartlyFailed" or "Failed" => ExitCodes.Failed, "Cancelled" => ExitCodes.RolledBack, _ => ExitCodes.Ok };
    }

    /// <summary>GETs what was just accepted: the coordinator may not have recorded it yet, so a 404 is asked again for a few seconds.</summary>
    private static async Task<T> GetAccepted<T>(CoordinatorClient client, string path, CancellationToken ct)
    {
        var since = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return await client.Get<T>(path, ct);
            }
            catch (ApiProblemException e) when (e.Status == System.Net.HttpStatusCode.NotFound && DateTime.UtcNow - since < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(Poll, ct);
            }
        }
    }
}
