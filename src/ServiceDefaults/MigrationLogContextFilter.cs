using MassTransit;

namespace Drover.ServiceDefaults;

/// <summary>Puts the message's MigrationId (its correlation id) on every log line written while it is consumed.</summary>
public sealed class MigrationLogContextFilter<T> : IFilter<ConsumeContext<T>> where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.CorrelationId is not { } id)
        {
            await next.Send(context);
            return;
        }
        using (Serilog.Context.LogContext.PushProperty("MigrationId", id))
            await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("migrationLogContext");
}
