namespace Drover.Coordinator.Hosting;

/// <summary>
/// The coordinator lets .NET run the continuation of a socket read or write on the thread that saw it complete instead of
/// handing it to the thread pool. Every saga message is a chain of short socket round trips (the broker's delivery, the
/// row's load and update, a publisher confirm per message sent); each hand-off woke another thread. bench/control-plane.sh:
/// 10.6–11.5 → 8.9 ms of coordinator CPU per migration (docs/BENCHMARKS.md). Safe here because nothing in the coordinator
/// blocks a thread waiting for socket I/O (all of it is awaited); the agents, whose libvirt calls block, keep the default.
/// An operator's own setting of the variable (for example 0) wins.
/// </summary>
public static class InlineSocketCompletions
{
    /// <summary>Read once, when the first socket is used: call before anything opens one.</summary>
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null) Environment.SetEnvironmentVariable(Variable, "1");
    }
}
