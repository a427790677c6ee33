using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Hypervisors;
using Drover.HostAgent.Libvirt;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Steps;

/// <summary>
/// Runs one step's work, on the host whose queue the command came from, with the migration in the log context: refuses a
/// command past its expiry without touching the hypervisor, turns any failure into <see cref="StepFailed"/>, and publishes
/// the outcome with the command's ticket.
/// </summary>
public sealed partial class StepRunner(AgentHosts hosts, TimeProvider clock, ILogger<StepRunner> logger)
{
    public async Task Run<TCommand>(ConsumeContext<TCommand> context, Func<AgentHost, IHypervisorConnection, Task<object>> step)
        where TCommand : class, IStepCommand
    {
        var m = context.Message;
        var host = hosts.For(context);
        string name = typeof(TCommand).Name;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["MigrationId"] = m.MigrationId, ["Host"] = host.Name });
        object outcome;
        if (m.Ticket.NotAfter < clock.GetUtcNow())
        {
            LogExpired(name, host.Name, m.Ticket.NotAfter);
            outcome = new StepExpired { MigrationId = m.MigrationId, Host = host.Name, Command = name, Ticket = m.Ticket };
        }
        else
        {
            outcome = await Outcome(host, m, name, step);
        }
        // A pre-flight's command is answered to whoever asked; nothing of it is news for the bus.
        if (m.Ticket.Step == StepTicket.PreflightStep && context.ResponseAddress is not null)
            await context.RespondAsync(outcome);
        // Given up, the command is redelivered (its outcome is re-reported) or the saga's deadline acts.
        else await context.PublishWithin(outcome, OutcomePublishTimeout, cancellationToken: context.CancellationToken);
    }

    private static readonly TimeSpan OutcomePublishTimeout = TimeSpan.FromSeconds(60);

    public Task Run<TCommand>(ConsumeContext<TCommand> context, Func<AgentHost, IHypervisorConnection, object> step)
        where TCommand : class, IStepCommand => Run(context, (h, c) => Task.FromResult(step(h, c)));

    private async Task<object> Outcome(AgentHost host, IStepCommand m, string name, Func<AgentHost, IHypervisorConnection, Task<object>> step)
    {
        IHypervisorConnection connection;
        try
        {
            connection = host.Hypervisor.Connection;
        }
        catch (LibvirtException e)
        {
            return Failed(host, m, name, AgentFailureCode.HypervisorUnavailable, $"libvirtd on {host.Name} does not answer: {e.LibvirtMessage}");
        }
        try
        {
            var outcome = await step(host, connection);
            LogDone(name, host.Name, outcome.GetType().Name);
            return outcome;
        }
        catch (StepRefusedException e)
        {
            return Failed(host, m, e.Step ?? name, e.Code, e.Message);
        }
        catch (LibvirtException e)
        {
            // The connection dropped under the step: libvirtd went away (a restart), not the request's fault.
            var code = host.Hypervisor.IsConnected ? Classify(e) : AgentFailureCode.HypervisorUnavailable;
            return Failed(host, m, name, code, e.Message);
        }
        catch (ObjectDisposedException)
        {
            return Failed(host, m, name, AgentFailureCode.HypervisorUnavailable, $"The connection to libvirtd on {host.Name} was lost during the step");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            return Failed(host, m, name, AgentFailureCode.HypervisorError, e.Message);
        }
    }

    private StepFailed Failed(AgentHost host, IStepCommand m, string step, AgentFailureCode code, string reason)
    {
        LogFailed(step, host.Name, code, reason);
        return new StepFailed { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = host.Name, Step = step, Code = code, Reason = reason };
    }

    internal static AgentFailureCode Classify(LibvirtException e) => e.Code switch
    {
        LibvirtErrorCode.NoDomain => AgentFailureCode.DomainNotFound,
        LibvirtErrorCode.OperationAborted => AgentFailureCode.Aborted,
        LibvirtErrorCode.OperationInvalid => AgentFailureCode.WrongDomainState,
        LibvirtErrorCode.DomainExists => AgentFailureCode.NameOrUuidConflict,
        LibvirtErrorCode.CpuIncompatible => AgentFailureCode.CpuIncompatible,
        LibvirtErrorCode.NoConnect or LibvirtErrorCode.Rpc or LibvirtErrorCode.SystemError or LibvirtErrorCode.AuthFailed => AgentFailureCode.DestinationUnreachable,
        LibvirtErrorCode.XmlError or LibvirtErrorCode.XmlDetail or LibvirtErrorCode.InvalidArg => AgentFailureCode.InvalidRequest,
        _ => AgentFailureCode.HypervisorError,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "{Step} on {Host}: {Outcome}")]
    private partial void LogDone(string step, string host, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Step} on {Host} failed ({Code}): {Reason}")]
    private partial void LogFailed(string step, string host, AgentFailureCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Step} on {Host} refused: it expired at {NotAfter:O}; libvirt was not touched")]
    private partial void LogExpired(string step, string host, DateTimeOffset notAfter);
}
