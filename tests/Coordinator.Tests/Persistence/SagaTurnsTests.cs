using Drover.Coordinator.Persistence;

namespace Drover.Coordinator.Tests.Persistence;

/// <summary>Messages of one migration take turns in a process; other migrations' messages do not wait for them.</summary>
[Trait("Category", "Fast")]   // pure: no broker, database or lab (scripts/test.sh --fast)
public sealed class SagaTurnsTests
{
    private readonly SagaTurns _turns = new();

    [Fact]
    public async Task A_second_message_of_the_same_instance_waits_for_the_first_and_another_instance_does_not()
    {
        Guid one = Guid.NewGuid(), other = Guid.NewGuid();
        var first = await _turns.Take(one, CancellationToken.None);

        var second = _turns.Take(one, CancellationToken.None);
        var elsewhere = _turns.Take(other, CancellationToken.None);
        Assert.True(elsewhere.IsCompleted, "another instance's message goes ahead");
        Assert.False(second.IsCompleted, "the same instance's second message waits");

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        (await elsewhere).Dispose();
        Assert.Equal(0, _turns.Active);   // nothing kept for instances with no message in hand
    }

    [Fact]
    public async Task A_message_that_gives_up_waiting_leaves_no_turn_behind()
    {
        var id = Guid.NewGuid();
        var first = await _turns.Take(id, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = _turns.Take(id, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();

        Assert.Equal(0, _turns.Active);
        (await _turns.Take(id, CancellationToken.None)).Dispose();
    }
}
