using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Postgres
{
    /// <inheritdoc />
    public partial class Convergence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DestinationPreviousXml",
                table: "migration_saga",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EscalationsJson",
                table: "migration_saga",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<bool>(
                name: "WasRunning",
                table: "migration_saga",
                type: "boolean",
                nullable: false,
                defaultValue: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DestinationPreviousXml",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "EscalationsJson",
                table: "migration_saga");

            migrationBuilder.DropColumn(
                name: "WasRunning",
                table: "migration_saga");
        }
    }
}
