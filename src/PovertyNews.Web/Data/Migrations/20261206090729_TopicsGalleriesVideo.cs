using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TopicsGalleriesVideo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "DurationSeconds",
                table: "MediaItems",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Kind",
                table: "MediaItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PosterId",
                table: "MediaItems",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Topics",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Slug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IntroductionMarkdown = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    IntroductionHtml = table.Column<string>(type: "TEXT", nullable: false),
                    BannerImageUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    BannerImageAlt = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    IsPublished = table.Column<bool>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ShowOnFrontPage = table.Column<bool>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Topics", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TopicSections",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TopicId = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    TagId = table.Column<int>(type: "INTEGER", nullable: true),
                    ChannelId = table.Column<int>(type: "INTEGER", nullable: true),
                    MaxItems = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TopicSections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TopicSections_Channels_ChannelId",
                        column: x => x.ChannelId,
                        principalTable: "Channels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_TopicSections_Tags_TagId",
                        column: x => x.TagId,
                        principalTable: "Tags",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_TopicSections_Topics_TopicId",
                        column: x => x.TopicId,
                        principalTable: "Topics",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TopicTimelineEntries",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TopicId = table.Column<int>(type: "INTEGER", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TopicTimelineEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TopicTimelineEntries_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_TopicTimelineEntries_Topics_TopicId",
                        column: x => x.TopicId,
                        principalTable: "Topics",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TopicSectionArticles",
                columns: table => new
                {
                    SectionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TopicSectionArticles", x => new { x.SectionId, x.ArticleId });
                    table.ForeignKey(
                        name: "FK_TopicSectionArticles_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TopicSectionArticles_TopicSections_SectionId",
                        column: x => x.SectionId,
                        principalTable: "TopicSections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MediaItems_Kind",
                table: "MediaItems",
                column: "Kind");

            migrationBuilder.CreateIndex(
                name: "IX_MediaItems_PosterId",
                table: "MediaItems",
                column: "PosterId");

            migrationBuilder.CreateIndex(
                name: "IX_Topics_IsPublished_Position",
                table: "Topics",
                columns: new[] { "IsPublished", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_Topics_Slug",
                table: "Topics",
                column: "Slug",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TopicSectionArticles_ArticleId",
                table: "TopicSectionArticles",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_TopicSections_ChannelId",
                table: "TopicSections",
                column: "ChannelId");

            migrationBuilder.CreateIndex(
                name: "IX_TopicSections_TagId",
                table: "TopicSections",
                column: "TagId");

            migrationBuilder.CreateIndex(
                name: "IX_TopicSections_TopicId_Position",
                table: "TopicSections",
                columns: new[] { "TopicId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_TopicTimelineEntries_ArticleId",
                table: "TopicTimelineEntries",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_TopicTimelineEntries_TopicId_Date",
                table: "TopicTimelineEntries",
                columns: new[] { "TopicId", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TopicSectionArticles");

            migrationBuilder.DropTable(
                name: "TopicTimelineEntries");

            migrationBuilder.DropTable(
                name: "TopicSections");

            migrationBuilder.DropTable(
                name: "Topics");

            migrationBuilder.DropIndex(
                name: "IX_MediaItems_Kind",
                table: "MediaItems");

            migrationBuilder.DropIndex(
                name: "IX_MediaItems_PosterId",
                table: "MediaItems");

            migrationBuilder.DropColumn(
                name: "DurationSeconds",
                table: "MediaItems");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "MediaItems");

            migrationBuilder.DropColumn(
                name: "PosterId",
                table: "MediaItems");
        }
    }
}
