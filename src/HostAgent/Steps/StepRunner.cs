using Drover.Contracts.Agent;
using Drover.HostAgent.Hosting;
using Drover.HostAgent.Libvirt;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Drover.HostAgent.Steps;

/// <summary>Runs one step's work with the migration in the log context, and turns any failure into <see cref="StepFailed"/>.</summary>
public sealed partial class StepRunner(Hypervisor hypervisor, ILogger<StepRunner> logger)
{
    public async Task Run<TCommand>(ConsumeContext<TCommand> context, Guid migrationId, Func<LibvirtConnection, Task<object>> step)
        where TCommand : class
    {
        string name = typeof(TCommand).Name;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["MigrationId"] = migrationId });
        object outcome;
        try
        {
            outcome = await step(hypervisor.Connection);
            LogDone(name, hypervisor.HostName, outcome.GetType().Name);
        }
        catch (StepRefusedException e)
        {
            outcome = Failed(migrationId, name, e.Code, e.Message);
        }
        catch (LibvirtException e)
        {
            outcome = Failed(migrationId, name, Classify(e), e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            outcome = Failed(migrationId, name, AgentFailureCode.HypervisorError, e.Message);
        }
        await context.Publish(outcome, outcome.GetType(), context.CancellationToken);
    }

    public Task Run<TCommand>(ConsumeContext<TCommand> context, Guid migrationId, Func<LibvirtConnection, object> step)
        where TCommand : class => Run(context, migrationId, c => Task.FromResult(step(c)));

    private StepFailed Failed(Guid migrationId, string step, AgentFailureCode code, string reason)
    {
        LogFailed(step, hypervisor.HostName, code, reason);
        return new StepFailed { MigrationId = migrationId, Host = hypervisor.HostName, Step = step, Code = code, Reason = reason };
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
}
