using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "host",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    MigrationUri = table.Column<string>(type: "TEXT", nullable: false),
                    LibvirtVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    HypervisorVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    CpuModel = table.Column<string>(type: "TEXT", nullable: false),
                    Cpus = table.Column<int>(type: "INTEGER", nullable: false),
                    MemoryTotalKiB = table.Column<long>(type: "INTEGER", nullable: false),
                    MemoryFreeKiB = table.Column<long>(type: "INTEGER", nullable: false),
                    SharedStorageJson = table.Column<string>(type: "TEXT", nullable: false),
                    DomainsJson = table.Column<string>(type: "TEXT", nullable: false),
                    LastHeartbeatAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "migration_saga",
                columns: table => new
                {
                    CorrelationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CurrentState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Vm = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SourceHost = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    DestinationHost = table.Column<string>(type: "TEXT", maxLength: 63, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Persistent = table.Column<bool>(type: "INTEGER", nullable: false),
                    UndefineSource = table.Column<bool>(type: "INTEGER", nullable: false),
                    BandwidthMiBps = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxDowntimeMs = table.Column<long>(type: "INTEGER", nullable: true),
                    AutoConverge = table.Column<bool>(type: "INTEGER", nullable: false),
                    PostCopyAllowed = table.Column<bool>(type: "INTEGER", nullable: false),
                    FallBackToNonLiveAllowed = table.Column<bool>(type: "INTEGER", nullable: false),
                    CopyStorage = table.Column<bool>(type: "INTEGER", nullable: false),
                    Priority = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", nullable: true),
                    TraceParent = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    SourceMigrationUri = table.Column<string>(type: "TEXT", nullable: true),
                    DestinationMigrationUri = table.Column<string>(type: "TEXT", nullable: true),
                    PlacementReason = table.Column<string>(type: "TEXT", nullable: true),
                    QueueReason = table.Column<string>(type: "TEXT", nullable: true),
                    DomainName = table.Column<string>(type: "TEXT", nullable: true),
                    DomainUuid = table.Column<Guid>(type: "TEXT", nullable: true),
                    WasActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    MigratableXml = table.Column<string>(type: "TEXT", nullable: true),
                    MemoryKiB = table.Column<long>(type: "INTEGER", nullable: false),
                    VCpus = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceLibvirtVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    SourceHypervisorVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    ProbesJson = table.Column<string>(type: "TEXT", nullable: false),
                    SourceDone = table.Column<bool>(type: "INTEGER", nullable: false),
                    DestinationDone = table.Column<bool>(type: "INTEGER", nullable: false),
                    SourceFacts = table.Column<string>(type: "TEXT", nullable: true),
                    DestinationFacts = table.Column<string>(type: "TEXT", nullable: true),
                    SourceTransferInProgress = table.Column<bool>(type: "INTEGER", nullable: false),
                    StepDeadline = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StepAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    StateEnteredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StepDurationsJson = table.Column<string>(type: "TEXT", nullable: false),
                    CancelRequested = table.Column<bool>(type: "INTEGER", nullable: false),
                    FailureReason = table.Column<string>(type: "TEXT", nullable: true),
                    Warning = table.Column<string>(type: "TEXT", nullable: true),
                    DataProcessedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    DataRemainingBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    DataTotalBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    DirtyRateBytesPerSecond = table.Column<long>(type: "INTEGER", nullable: false),
                    BandwidthBytesPerSecond = table.Column<long>(type: "INTEGER", nullable: false),
                    Iteration = table.Column<int>(type: "INTEGER", nullable: false),
                    PercentComplete = table.Column<double>(type: "REAL", nullable: false),
                    EtaSeconds = table.Column<double>(type: "REAL", nullable: true),
                    DowntimeMs = table.Column<long>(type: "INTEGER", nullable: true),
                    TransferDurationMs = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_migration_saga", x => x.CorrelationId);
                });

            migrationBuilder.CreateTable(
                name: "rebalance_saga",
                columns: table => new
                {
                    CorrelationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CurrentState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Strategy = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DrainHost = table.Column<string>(type: "TEXT", nullable: true),
                    DryRun = table.Column<bool>(type: "INTEGER", nullable: false),
                    TargetSpreadPoints = table.Column<double>(type: "REAL", nullable: false),
                    MovesJson = table.Column<string>(type: "TEXT", nullable: false),
                    UnmovableJson = table.Column<string>(type: "TEXT", nullable: false),
                    SpreadBefore = table.Column<double>(type: "REAL", nullable: false),
                    SpreadAfter = table.Column<double>(type: "REAL", nullable: false),
                    FailureReason = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rebalance_saga", x => x.CorrelationId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_migration_saga_CurrentState",
                table: "migration_saga",
                column: "CurrentState");

            migrationBuilder.CreateIndex(
                name: "IX_migration_saga_StepDeadline",
                table: "migration_saga",
                column: "StepDeadline");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "host");

            migrationBuilder.DropTable(
                name: "migration_saga");

            migrationBuilder.DropTable(
                name: "rebalance_saga");
        }
    }
}
