using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ApprovalRecord : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CorrectionNote",
                table: "ArticleRevisions",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VideoPosterUrl",
                table: "ArticleRevisions",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "VideoUrl",
                table: "ArticleRevisions",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RevisionNumber",
                table: "ArticleReviews",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TextSha256",
                table: "ArticleReviews",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CorrectionNote",
                table: "ArticleRevisions");

            migrationBuilder.DropColumn(
                name: "VideoPosterUrl",
                table: "ArticleRevisions");

            migrationBuilder.DropColumn(
                name: "VideoUrl",
                table: "ArticleRevisions");

            migrationBuilder.DropColumn(
                name: "RevisionNumber",
                table: "ArticleReviews");

            migrationBuilder.DropColumn(
                name: "TextSha256",
                table: "ArticleReviews");
        }
    }
}
