using Drover.Contracts;
using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Libvirt;
using MassTransit;

namespace Drover.HostAgent.Steps;

/// <summary>Measures a running domain's dirty rate for a pre-flight (libvirt's page sampling: the guest is not disturbed,
/// nothing is changed) and answers the request; a domain that does not run, or a libvirtd that does not answer, is
/// answered with the reason.</summary>
public sealed class MeasureDirtyRateConsumer(AgentHosts hosts, TimeProvider clock) : IConsumer<MeasureDirtyRate>
{
    /// <summary>libvirt reports the rate about 50 ms after the window; it is read at this pace until then.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task Consume(ConsumeContext<MeasureDirtyRate> context)
    {
        var m = context.Message;
        var host = hosts.For(context);
        int window = Math.Clamp(m.WindowSeconds, 1, 10);
        DirtyRateMeasured Answer(bool running, long memoryMiB, long? rate = null, string? error = null) => new()
        {
            Host = host.Name, DomainName = m.DomainName, Running = running, DirtyRateMiBps = rate, MemoryMiB = memoryMiB, WindowSeconds = window, Error = error,
        };
        try
        {
            using var domain = host.Hypervisor.Connection.FindDomain(DomainNames.Require(m.DomainName));
            if (domain is null)
            {
                await context.RespondAsync(Answer(false, 0, error: $"No domain '{m.DomainName}' on {host.Name}"));
                return;
            }
            long memoryMiB = domain.Size.MemoryKiB / 1024;
            if (!domain.State.IsRunning())
            {
                await context.RespondAsync(Answer(false, memoryMiB, error: $"'{m.DomainName}' is {domain.State.ToWireName()}: it dirties no memory"));
                return;
            }
            // libvirt reports the calculation's start in QEMU's clock, not the epoch: a fresh result is one that started after
            // the last one we saw, or that we saw being measured.
            var before = domain.ReadDirtyRate();
            domain.StartDirtyRateCalc(window);
            bool sawMeasuring = false;
            var deadline = clock.GetUtcNow() + TimeSpan.FromSeconds(window + 5);
            while (clock.GetUtcNow() < deadline)
            {
                await Task.Delay(Poll, clock, context.CancellationToken);
                var reading = domain.ReadDirtyRate();
                sawMeasuring |= reading.Status != DirtyRateReading.Measured;
                if (reading is { Status: DirtyRateReading.Measured, MiBPerSecond: { } rate } && (sawMeasuring || reading.StartedAt != before.StartedAt))
                {
                    await context.RespondAsync(Answer(true, memoryMiB, rate));
                    return;
                }
            }
            await context.RespondAsync(Answer(true, memoryMiB, error: $"libvirt did not report the dirty rate of '{m.DomainName}' within {window + 5} s"));
        }
        catch (Exception e) when (e is LibvirtException or StepRefusedException)
        {
            await context.RespondAsync(Answer(false, 0, error: e is LibvirtException l ? $"libvirt on {host.Name}: {l.LibvirtMessage}" : e.Message));
        }
    }
}
