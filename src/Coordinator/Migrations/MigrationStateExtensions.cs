using Drover.Api;

namespace Drover.Coordinator.Migrations;

public static class MigrationStateExtensions
{
    public static bool Is(this MigrationState s, MigrationStatus status) => s.CurrentState == status.ToString();
}
