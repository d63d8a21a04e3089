using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ReaderCacheIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Articles_Headlines",
                table: "Articles",
                columns: new[] { "HeadlineOrder", "Status", "PublishedAt" },
                filter: "\"IsHeadline\"");

            migrationBuilder.CreateIndex(
                name: "IX_Articles_Pinned",
                table: "Articles",
                columns: new[] { "PinOrder", "Status", "PublishedAt" },
                filter: "\"IsPinned\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Articles_Headlines",
                table: "Articles");

            migrationBuilder.DropIndex(
                name: "IX_Articles_Pinned",
                table: "Articles");
        }
    }
}
