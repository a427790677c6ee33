using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Transfers;

namespace Drover.HostAgent.Tests.Agent;

/// <summary>The convergence ladder decided from job readings alone (pure logic; the lab tests prove it on real guests).</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class ConvergencePolicyTests
{
    private const long MiB = 1 << 20;
    private static readonly ConvergenceOptions Options = new() { StallIterations = 3, ProgressPercent = 10, DefaultMaxDowntimeMs = 500 };

    /// <summary>Feeds iterations 2, 3, ... each starting with the same data left; returns the steps taken.</summary>
    private static List<ConvergenceStep> Stalled(ConvergencePolicy policy, int iterations, long remaining = 60 * MiB)
    {
        var steps = new List<ConvergenceStep>();
        for (int i = 2; i < 2 + iterations; i++)
        {
            if (policy.Observe(i, remaining) is { } step) steps.Add(step);
            Assert.Null(policy.Observe(i, remaining / 2));   // later readings in the same iteration change nothing
        }
        return steps;
    }

    [Fact]
    public void A_converging_transfer_is_left_alone()
    {
        var policy = new ConvergencePolicy(MigrationKind.Live, new MigrationTuning { FallBackToNonLiveAllowed = true }, Options);
        long remaining = 64 * MiB;
        for (int i = 1; i < 30; i++, remaining = remaining * 8 / 10)
            Assert.Null(policy.Observe(i, remaining));
        Assert.Equal(300, policy.MaxDowntimeMs);
    }

    [Fact]
    public void A_stall_first_raises_the_downtime_up_to_the_ceiling_then_aborts_when_nothing_else_is_allowed()
    {
        var policy = new ConvergencePolicy(MigrationKind.Live, new MigrationTuning { MaxDowntimeMs = 1000 }, Options);
        Assert.Equal(300, policy.MaxDowntimeMs);

        var steps = Stalled(policy, 13);

        Assert.Equal([ConvergenceAction.RaiseMaxDowntime, ConvergenceAction.RaiseMaxDowntime, ConvergenceAction.Abort],
            steps.Select(s => s.Action).Take(3));
        Assert.Equal([600L, 1000L], steps.Take(2).Select(s => s.MaxDowntimeMs));
        Assert.Contains("did not converge", steps[2].Reason);
        Assert.Contains("neither post-copy nor a fall-back to non-live is allowed", steps[2].Reason);
    }

    [Fact]
    public void The_ladder_goes_post_copy_then_non_live_then_abort_when_both_are_allowed()
    {
        var policy = new ConvergencePolicy(MigrationKind.Live, new MigrationTuning { MaxDowntimeMs = 100, PostCopyAllowed = true, FallBackToNonLiveAllowed = true }, Options);
        Assert.Equal(100, policy.MaxDowntimeMs);   // a ceiling under libvirt's 300 ms is where it starts

        var steps = Stalled(policy, 4);

        Assert.Equal([ConvergenceAction.StartPostCopy], steps.Select(s => s.Action));
        Assert.Empty(Stalled(policy, 10));   // post-copy always finishes: nothing more to do
    }

    [Fact]
    public void Without_post_copy_a_stall_suspends_the_vm_when_the_request_allows_non_live()
    {
        var policy = new ConvergencePolicy(MigrationKind.Live, new MigrationTuning { MaxDowntimeMs = 100, FallBackToNonLiveAllowed = true }, Options);

        var steps = Stalled(policy, 8);

        Assert.Equal([ConvergenceAction.SuspendForNonLive, ConvergenceAction.Abort], steps.Select(s => s.Action));
        Assert.Contains("suspending the VM", steps[0].Reason);
    }

    [Fact]
    public void Progress_of_less_than_the_threshold_still_counts_as_a_stall()
    {
        var policy = new ConvergencePolicy(MigrationKind.Live, new MigrationTuning { MaxDowntimeMs = 300 }, Options);
        long remaining = 60 * MiB;
        ConvergenceStep? step = null;
        for (int i = 2; step is null && i < 10; i++, remaining = remaining * 97 / 100)
            step = policy.Observe(i, remaining);
        Assert.Equal(ConvergenceAction.Abort, step?.Action);
    }

    [Theory]
    [InlineData(MigrationKind.NonLive)]
    [InlineData(MigrationKind.Offline)]
    public void Only_live_migrations_are_escalated(MigrationKind kind)
    {
        var policy = new ConvergencePolicy(kind, new MigrationTuning(), Options);
        Assert.Empty(Stalled(policy, 20));
    }

    [Fact]
    public void Forcing_completion_takes_post_copy_when_allowed_else_pauses_and_never_twice()
    {
        var postCopy = new ConvergencePolicy(MigrationKind.Live, new MigrationTuning { PostCopyAllowed = true }, Options);
        Assert.Equal(ConvergenceAction.StartPostCopy, postCopy.ForceComplete()!.Action);
        Assert.Null(postCopy.ForceComplete());
        Assert.Empty(Stalled(postCopy, 20));   // in post-copy the ladder has nothing left to do

        var pause = new ConvergencePolicy(MigrationKind.Live, new MigrationTuning(), Options);
        var step = pause.ForceComplete()!;
        Assert.Equal(ConvergenceAction.SuspendForNonLive, step.Action);
        Assert.Contains("operator", step.Reason);
        Assert.Null(pause.ForceComplete());

        Assert.Null(new ConvergencePolicy(MigrationKind.NonLive, new MigrationTuning(), Options).ForceComplete());   // already paused
    }

    [Fact]
    public void An_operators_maximum_downtime_is_in_force_at_once_and_becomes_the_ladders_ceiling()
    {
        var policy = new ConvergencePolicy(MigrationKind.Live, new MigrationTuning { MaxDowntimeMs = 400, FallBackToNonLiveAllowed = true }, Options);
        var set = policy.SetMaxDowntime(2000);
        Assert.Equal(ConvergenceAction.SetMaxDowntime, set.Action);
        Assert.Equal(2000, policy.MaxDowntimeMs);

        // At the new ceiling already: the next stall goes straight to the next rung, never above 2000 ms.
        Assert.Equal([ConvergenceAction.SuspendForNonLive], Stalled(policy, 4).Select(s => s.Action));
        Assert.Equal(2000, policy.MaxDowntimeMs);
    }
}
