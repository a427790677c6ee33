using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Postgres
{
    /// <inheritdoc />
    public partial class SharedState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Text columns that held hand-written JSON become EF's own JSON columns; their contents are kept (a cast, which
            // EF's scaffolded ALTER COLUMN would not write, after dropping the text default that cannot be cast).
            migrationBuilder.Sql("""
                ALTER TABLE rebalance_saga
                    ALTER COLUMN "UnmovableJson" DROP DEFAULT, ALTER COLUMN "UnmovableJson" TYPE jsonb USING "UnmovableJson"::jsonb, ALTER COLUMN "UnmovableJson" DROP NOT NULL,
                    ALTER COLUMN "MovesJson" DROP DEFAULT, ALTER COLUMN "MovesJson" TYPE jsonb USING "MovesJson"::jsonb, ALTER COLUMN "MovesJson" DROP NOT NULL;
                ALTER TABLE migration_saga
                    ALTER COLUMN "ProbesJson" DROP DEFAULT, ALTER COLUMN "ProbesJson" TYPE jsonb USING "ProbesJson"::jsonb, ALTER COLUMN "ProbesJson" DROP NOT NULL,
                    ALTER COLUMN "EscalationsJson" DROP DEFAULT, ALTER COLUMN "EscalationsJson" TYPE jsonb USING "EscalationsJson"::jsonb, ALTER COLUMN "EscalationsJson" DROP NOT NULL;
                """);

            migrationBuilder.AddColumn<DateTime>(
                name: "AdmittedAt",
                table: "migration_saga",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AdmittedTo",
                table: "migration_saga",
                type: "character varying(63)",
                maxLength: 63,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReportedAt",
                table: "host",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AdmittedAt",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "AdmittedTo",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "ReportedAt",
                table: "host");

            migrationBuilder.Sql("""
                ALTER TABLE rebalance_saga
                    ALTER COLUMN "UnmovableJson" TYPE text USING coalesce("UnmovableJson"::text, '[]'), ALTER COLUMN "UnmovableJson" SET NOT NULL,
                    ALTER COLUMN "MovesJson" TYPE text USING coalesce("MovesJson"::text, '[]'), ALTER COLUMN "MovesJson" SET NOT NULL;
                ALTER TABLE migration_saga
                    ALTER COLUMN "ProbesJson" TYPE text USING coalesce("ProbesJson"::text, '[]'), ALTER COLUMN "ProbesJson" SET NOT NULL,
                    ALTER COLUMN "EscalationsJson" TYPE text USING coalesce("EscalationsJson"::text, '[]'), ALTER COLUMN "EscalationsJson" SET NOT NULL;
                """);
        }
    }
}
