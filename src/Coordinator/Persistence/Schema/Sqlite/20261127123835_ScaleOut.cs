using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Drover.Coordinator.Persistence.Schema.Sqlite
{
    /// <inheritdoc />
    public partial class ScaleOut : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "SpreadMeasured",
                table: "rebalance_saga",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SpreadMeasuredAt",
                table: "rebalance_saga",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SpreadMeasured",
                table: "rebalance_saga");

            migrationBuilder.DropColumn(
                name: "SpreadMeasuredAt",
                table: "rebalance_saga");
        }
    }
}
