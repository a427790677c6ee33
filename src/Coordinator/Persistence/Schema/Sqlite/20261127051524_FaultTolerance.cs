using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Sqlite
{
    /// <inheritdoc />
    public partial class FaultTolerance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "StepAttempts",
                table: "migration_saga",
                newName: "TransferSequence");

            migrationBuilder.AddColumn<bool>(
                name: "AbortOnReconcile",
                table: "migration_saga",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "Attempt",
                table: "migration_saga",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "AttemptStartedAt",
                table: "migration_saga",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Attempts",
                table: "migration_saga",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Autostart",
                table: "migration_saga",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "DestinationMark",
                table: "migration_saga",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FactsVerdict",
                table: "migration_saga",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FailedDestinations",
                table: "migration_saga",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "FailureCode",
                table: "migration_saga",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "FailureIsTransient",
                table: "migration_saga",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "IgnoredEvents",
                table: "migration_saga",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastByteProgressAt",
                table: "migration_saga",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaxAttempts",
                table: "migration_saga",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ReconcileAfter",
                table: "migration_saga",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequestedDestination",
                table: "migration_saga",
                type: "TEXT",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "RetryAt",
                table: "migration_saga",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StepResends",
                table: "migration_saga",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "StepSequence",
                table: "migration_saga",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "StepStartedAt",
                table: "migration_saga",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "HypervisorAvailable",
                table: "host",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "HypervisorError",
                table: "host",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AbortOnReconcile",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "Attempt",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "AttemptStartedAt",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "Attempts",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "Autostart",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "DestinationMark",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "FactsVerdict",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "FailedDestinations",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "FailureCode",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "FailureIsTransient",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "IgnoredEvents",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "LastByteProgressAt",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "MaxAttempts",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "ReconcileAfter",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "RequestedDestination",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "RetryAt",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "StepResends",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "StepSequence",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "StepStartedAt",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "HypervisorAvailable",
                table: "host");

            migrationBuilder.DropColumn(
                name: "HypervisorError",
                table: "host");

            migrationBuilder.RenameColumn(
                name: "TransferSequence",
                table: "migration_saga",
                newName: "StepAttempts");
        }
    }
}
