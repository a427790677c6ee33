using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Libvirt;
using Drover.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Steps;

/// <summary>
/// Runs one step's work with the migration in the log context: refuses a command past its expiry without touching
/// libvirt, turns any failure into <see cref="StepFailed"/>, and publishes the outcome with the command's ticket.
/// </summary>
public sealed partial class StepRunner(Hypervisor hypervisor, TimeProvider clock, ILogger<StepRunner> logger)
{
    public async Task Run<TCommand>(ConsumeContext<TCommand> context, Func<LibvirtConnection, Task<object>> step)
        where TCommand : class, IStepCommand
    {
        var m = context.Message;
        string name = typeof(TCommand).Name;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["MigrationId"] = m.MigrationId });
        object outcome;
        if (m.Ticket.NotAfter < clock.GetUtcNow())
        {
            LogExpired(name, hypervisor.HostName, m.Ticket.NotAfter);
            outcome = new StepExpired { MigrationId = m.MigrationId, Host = hypervisor.HostName, Command = name, Ticket = m.Ticket };
        }
        else
        {
            outcome = await Outcome(m, name, step);
        }
        // Given up, the command is redelivered (its outcome is re-reported) or the saga's deadline acts.
        await context.PublishWithin(outcome, OutcomePublishTimeout, cancellationToken: context.CancellationToken);
    }

    private static readonly TimeSpan OutcomePublishTimeout = TimeSpan.FromSeconds(60);

    public Task Run<TCommand>(ConsumeContext<TCommand> context, Func<LibvirtConnection, object> step)
        where TCommand : class, IStepCommand => Run(context, c => Task.FromResult(step(c)));

    private async Task<object> Outcome(IStepCommand m, string name, Func<LibvirtConnection, Task<object>> step)
    {
        LibvirtConnection connection;
        try
        {
            connection = hypervisor.Connection;
        }
        catch (LibvirtException e)
        {
            return Failed(m, name, AgentFailureCode.HypervisorUnavailable, $"libvirtd on {hypervisor.HostName} does not answer: {e.LibvirtMessage}");
        }
        try
        {
            var outcome = await step(connection);
            LogDone(name, hypervisor.HostName, outcome.GetType().Name);
            return outcome;
        }
        catch (StepRefusedException e)
        {
            return Failed(m, name, e.Code, e.Message);
        }
        catch (LibvirtException e)
        {
            // The connection dropped under the step: libvirtd went away (a restart), not the request's fault.
            var code = hypervisor.IsConnected ? Classify(e) : AgentFailureCode.HypervisorUnavailable;
            return Failed(m, name, code, e.Message);
        }
        catch (ObjectDisposedException)
        {
            return Failed(m, name, AgentFailureCode.HypervisorUnavailable, $"The connection to libvirtd on {hypervisor.HostName} was lost during the step");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            return Failed(m, name, AgentFailureCode.HypervisorError, e.Message);
        }
    }

    private StepFailed Failed(IStepCommand m, string step, AgentFailureCode code, string reason)
    {
        LogFailed(step, hypervisor.HostName, code, reason);
        return new StepFailed { MigrationId = m.MigrationId, Ticket = m.Ticket, Host = hypervisor.HostName, Step = step, Code = code, Reason = reason };
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
