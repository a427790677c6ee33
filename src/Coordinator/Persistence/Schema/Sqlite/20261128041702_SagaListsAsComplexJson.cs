using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Sqlite
{
    /// <inheritdoc />
    public partial class SagaListsAsComplexJson : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The lists were owned entities, their columns nullable; as complex collections they are required: an empty list is [].
            migrationBuilder.Sql("UPDATE migration_saga SET \"TimelineJson\" = '[]' WHERE \"TimelineJson\" IS NULL;");
            migrationBuilder.Sql("UPDATE migration_saga SET \"ProbesJson\" = '[]' WHERE \"ProbesJson\" IS NULL;");
            migrationBuilder.Sql("UPDATE migration_saga SET \"IgnoredEvents\" = '[]' WHERE \"IgnoredEvents\" IS NULL;");
            migrationBuilder.Sql("UPDATE migration_saga SET \"EscalationsJson\" = '[]' WHERE \"EscalationsJson\" IS NULL;");
            migrationBuilder.Sql("UPDATE migration_saga SET \"CopiedDisks\" = '[]' WHERE \"CopiedDisks\" IS NULL;");
            migrationBuilder.Sql("UPDATE migration_saga SET \"Attempts\" = '[]' WHERE \"Attempts\" IS NULL;");

            migrationBuilder.AlterColumn<string>(
                name: "TimelineJson",
                table: "migration_saga",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "ProbesJson",
                table: "migration_saga",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "IgnoredEvents",
                table: "migration_saga",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "EscalationsJson",
                table: "migration_saga",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "CopiedDisks",
                table: "migration_saga",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Attempts",
                table: "migration_saga",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "TimelineJson",
                table: "migration_saga",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<string>(
                name: "ProbesJson",
                table: "migration_saga",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<string>(
                name: "IgnoredEvents",
                table: "migration_saga",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<string>(
                name: "EscalationsJson",
                table: "migration_saga",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<string>(
                name: "CopiedDisks",
                table: "migration_saga",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");

            migrationBuilder.AlterColumn<string>(
                name: "Attempts",
                table: "migration_saga",
                type: "TEXT",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT");
        }
    }
}
