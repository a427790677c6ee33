using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Drover.Coordinator.Rebalancing;

public sealed class RebalanceSagaDefinition : SagaDefinition<RebalanceState>
{
    public RebalanceSagaDefinition() => EndpointName = "rebalance-saga";

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<RebalanceState> saga, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<DbUpdateConcurrencyException>();
            r.Handle<DbUpdateException>();
            r.Exponential(20, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(20));
        });
        endpoint.UseInMemoryOutbox(context);
    }
}
