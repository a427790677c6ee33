using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Sqlite
{
    /// <inheritdoc />
    public partial class CopiedDisks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CopiedDisks",
                table: "migration_saga",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CopiedDisks",
                table: "migration_saga");
        }
    }
}
