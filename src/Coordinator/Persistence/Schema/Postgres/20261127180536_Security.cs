using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Postgres
{
    /// <inheritdoc />
    public partial class Security : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DestinationPreviousXml",
                table: "migration_saga");

            migrationBuilder.AddColumn<bool>(
                name: "DestinationKeptDefinition",
                table: "migration_saga",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DestinationKeptDefinition",
                table: "migration_saga");

            migrationBuilder.AddColumn<string>(
                name: "DestinationPreviousXml",
                table: "migration_saga",
                type: "text",
                nullable: true);
        }
    }
}
