using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Postgres
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
                    Name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    MigrationUri = table.Column<string>(type: "text", nullable: false),
                    LibvirtVersion = table.Column<long>(type: "bigint", nullable: false),
                    HypervisorVersion = table.Column<long>(type: "bigint", nullable: false),
                    CpuModel = table.Column<string>(type: "text", nullable: false),
                    Cpus = table.Column<int>(type: "integer", nullable: false),
                    MemoryTotalKiB = table.Column<long>(type: "bigint", nullable: false),
                    MemoryFreeKiB = table.Column<long>(type: "bigint", nullable: false),
                    SharedStorageJson = table.Column<string>(type: "text", nullable: false),
                    DomainsJson = table.Column<string>(type: "text", nullable: false),
                    LastHeartbeatAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "migration_saga",
                columns: table => new
                {
                    CorrelationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CurrentState = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Vm = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SourceHost = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    DestinationHost = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Persistent = table.Column<bool>(type: "boolean", nullable: false),
                    UndefineSource = table.Column<bool>(type: "boolean", nullable: false),
                    BandwidthMiBps = table.Column<long>(type: "bigint", nullable: true),
                    MaxDowntimeMs = table.Column<long>(type: "bigint", nullable: true),
                    AutoConverge = table.Column<bool>(type: "boolean", nullable: false),
                    PostCopyAllowed = table.Column<bool>(type: "boolean", nullable: false),
                    FallBackToNonLiveAllowed = table.Column<bool>(type: "boolean", nullable: false),
                    CopyStorage = table.Column<bool>(type: "boolean", nullable: false),
                    Priority = table.Column<int>(type: "integer", nullable: false),
                    RequestedBy = table.Column<string>(type: "text", nullable: true),
                    TraceParent = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    SourceMigrationUri = table.Column<string>(type: "text", nullable: true),
                    DestinationMigrationUri = table.Column<string>(type: "text", nullable: true),
                    PlacementReason = table.Column<string>(type: "text", nullable: true),
                    QueueReason = table.Column<string>(type: "text", nullable: true),
                    DomainName = table.Column<string>(type: "text", nullable: true),
                    DomainUuid = table.Column<Guid>(type: "uuid", nullable: true),
                    WasActive = table.Column<bool>(type: "boolean", nullable: false),
                    MigratableXml = table.Column<string>(type: "text", nullable: true),
                    MemoryKiB = table.Column<long>(type: "bigint", nullable: false),
                    VCpus = table.Column<int>(type: "integer", nullable: false),
                    SourceLibvirtVersion = table.Column<long>(type: "bigint", nullable: false),
                    SourceHypervisorVersion = table.Column<long>(type: "bigint", nullable: false),
                    ProbesJson = table.Column<string>(type: "text", nullable: false),
                    SourceDone = table.Column<bool>(type: "boolean", nullable: false),
                    DestinationDone = table.Column<bool>(type: "boolean", nullable: false),
                    SourceFacts = table.Column<string>(type: "text", nullable: true),
                    DestinationFacts = table.Column<string>(type: "text", nullable: true),
                    SourceTransferInProgress = table.Column<bool>(type: "boolean", nullable: false),
                    StepDeadline = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StepAttempts = table.Column<int>(type: "integer", nullable: false),
                    StateEnteredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StepDurationsJson = table.Column<string>(type: "text", nullable: false),
                    CancelRequested = table.Column<bool>(type: "boolean", nullable: false),
                    FailureReason = table.Column<string>(type: "text", nullable: true),
                    Warning = table.Column<string>(type: "text", nullable: true),
                    DataProcessedBytes = table.Column<long>(type: "bigint", nullable: false),
                    DataRemainingBytes = table.Column<long>(type: "bigint", nullable: false),
                    DataTotalBytes = table.Column<long>(type: "bigint", nullable: false),
                    DirtyRateBytesPerSecond = table.Column<long>(type: "bigint", nullable: false),
                    BandwidthBytesPerSecond = table.Column<long>(type: "bigint", nullable: false),
                    Iteration = table.Column<int>(type: "integer", nullable: false),
                    PercentComplete = table.Column<double>(type: "double precision", nullable: false),
                    EtaSeconds = table.Column<double>(type: "double precision", nullable: true),
                    DowntimeMs = table.Column<long>(type: "bigint", nullable: true),
                    TransferDurationMs = table.Column<long>(type: "bigint", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_migration_saga", x => x.CorrelationId);
                });

            migrationBuilder.CreateTable(
                name: "rebalance_saga",
                columns: table => new
                {
                    CorrelationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CurrentState = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Strategy = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DrainHost = table.Column<string>(type: "text", nullable: true),
                    DryRun = table.Column<bool>(type: "boolean", nullable: false),
                    TargetSpreadPoints = table.Column<double>(type: "double precision", nullable: false),
                    MovesJson = table.Column<string>(type: "text", nullable: false),
                    UnmovableJson = table.Column<string>(type: "text", nullable: false),
                    SpreadBefore = table.Column<double>(type: "double precision", nullable: false),
                    SpreadAfter = table.Column<double>(type: "double precision", nullable: false),
                    FailureReason = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
