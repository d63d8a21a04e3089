using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// 版面编排: headlines, 热点新闻 pins and 热点视频 picks move from flags on Articles to Placements rows, and the
    /// sidebar channels and counts from SiteSettings to SidebarSettings (editors' business, per-block counts).
    /// Existing values are copied before the old columns go.
    /// </summary>
    public partial class Curation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Placements",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Block = table.Column<int>(type: "INTEGER", nullable: false),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PlacedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Placements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Placements_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SidebarSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    HotVideoCount = table.Column<int>(type: "INTEGER", nullable: false),
                    HotNewsCount = table.Column<int>(type: "INTEGER", nullable: false),
                    OpinionChannelId = table.Column<int>(type: "INTEGER", nullable: true),
                    OpinionCount = table.Column<int>(type: "INTEGER", nullable: false),
                    TownChannelId = table.Column<int>(type: "INTEGER", nullable: true),
                    TownCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SidebarSettings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SidebarSettings_Channels_OpinionChannelId",
                        column: x => x.OpinionChannelId,
                        principalTable: "Channels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_SidebarSettings_Channels_TownChannelId",
                        column: x => x.TownChannelId,
                        principalTable: "Channels",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Placements_ArticleId",
                table: "Placements",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_Placements_Block_ArticleId",
                table: "Placements",
                columns: new[] { "Block", "ArticleId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Placements_Block_Position",
                table: "Placements",
                columns: new[] { "Block", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_SidebarSettings_OpinionChannelId",
                table: "SidebarSettings",
                column: "OpinionChannelId");

            migrationBuilder.CreateIndex(
                name: "IX_SidebarSettings_TownChannelId",
                table: "SidebarSettings",
                column: "TownChannelId");

            // The flags on Articles and the sidebar fields of SiteSettings become rows, in the order readers saw them.
            migrationBuilder.Sql("""
                INSERT INTO "Placements" ("Block", "ArticleId", "Position", "Until", "PlacedAt")
                SELECT 0, "Id", ROW_NUMBER() OVER (ORDER BY "HeadlineOrder", "PublishedAt" DESC, "Id"), NULL, "UpdatedAt"
                FROM "Articles" WHERE "IsHeadline" AND "Status" <> 5;
                INSERT INTO "Placements" ("Block", "ArticleId", "Position", "Until", "PlacedAt")
                SELECT 1, "Id", ROW_NUMBER() OVER (ORDER BY "PinOrder", "PublishedAt" DESC, "Id"), "PinnedUntil", "UpdatedAt"
                FROM "Articles" WHERE "IsPinned" AND "Status" <> 5;
                INSERT INTO "Placements" ("Block", "ArticleId", "Position", "Until", "PlacedAt")
                SELECT 2, "Id", ROW_NUMBER() OVER (ORDER BY "PinOrder", "PublishedAt" DESC, "Id"), NULL, "UpdatedAt"
                FROM "Articles" WHERE "IsPinned" AND "Kind" = 1 AND "Status" <> 5;
                INSERT INTO "SidebarSettings" ("Id", "HotVideoCount", "HotNewsCount", "OpinionChannelId", "OpinionCount", "TownChannelId", "TownCount")
                SELECT 1, MAX(1, MIN(s."SidebarItemCount", 4)), MAX(1, MIN(s."SidebarItemCount", 20)),
                    (SELECT c."Id" FROM "Channels" c WHERE c."Slug" = s."OpinionChannelSlug"), MAX(1, MIN(s."SidebarItemCount", 20)),
                    (SELECT c."Id" FROM "Channels" c WHERE c."Slug" = s."TownChannelSlug"), MAX(1, MIN(s."SidebarItemCount", 20))
                FROM "SiteSettings" s WHERE s."Id" = 1;
                """);

            // SQLite (3.35+) drops a plain column in place, inside this migration's transaction. EF's DropColumn would
            // rebuild the Articles table instead: a copy of every article, outside any transaction.
            migrationBuilder.Sql("""
                ALTER TABLE "SiteSettings" DROP COLUMN "OpinionChannelSlug";
                ALTER TABLE "SiteSettings" DROP COLUMN "SidebarItemCount";
                ALTER TABLE "SiteSettings" DROP COLUMN "TownChannelSlug";
                ALTER TABLE "Articles" DROP COLUMN "HeadlineOrder";
                ALTER TABLE "Articles" DROP COLUMN "IsHeadline";
                ALTER TABLE "Articles" DROP COLUMN "IsPinned";
                ALTER TABLE "Articles" DROP COLUMN "PinOrder";
                ALTER TABLE "Articles" DROP COLUMN "PinnedUntil";
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "OpinionChannelSlug",
                table: "SiteSettings",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "yuqing");

            migrationBuilder.AddColumn<int>(
                name: "SidebarItemCount",
                table: "SiteSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: 6);

            migrationBuilder.AddColumn<string>(
                name: "TownChannelSlug",
                table: "SiteSettings",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "xiaozhen");

            migrationBuilder.AddColumn<int>(
                name: "HeadlineOrder",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "IsHeadline",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "IsPinned",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "PinOrder",
                table: "Articles",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "PinnedUntil",
                table: "Articles",
                type: "TEXT",
                nullable: true);

            migrationBuilder.Sql("""
                UPDATE "Articles" SET "IsHeadline" = 1, "HeadlineOrder" = p."Position"
                FROM "Placements" p WHERE p."ArticleId" = "Articles"."Id" AND p."Block" = 0;
                UPDATE "Articles" SET "IsPinned" = 1, "PinOrder" = p."Position", "PinnedUntil" = p."Until"
                FROM "Placements" p WHERE p."ArticleId" = "Articles"."Id" AND p."Block" = 1;
                UPDATE "Articles" SET "IsPinned" = 1, "PinOrder" = p."Position"
                FROM "Placements" p WHERE p."ArticleId" = "Articles"."Id" AND p."Block" = 2 AND NOT "Articles"."IsPinned";
                UPDATE "SiteSettings" SET
                    "OpinionChannelSlug" = COALESCE((SELECT c."Slug" FROM "SidebarSettings" b JOIN "Channels" c ON c."Id" = b."OpinionChannelId"), 'yuqing'),
                    "TownChannelSlug" = COALESCE((SELECT c."Slug" FROM "SidebarSettings" b JOIN "Channels" c ON c."Id" = b."TownChannelId"), 'xiaozhen'),
                    "SidebarItemCount" = COALESCE((SELECT b."HotNewsCount" FROM "SidebarSettings" b), 6);
                """);

            migrationBuilder.DropTable(
                name: "Placements");

            migrationBuilder.DropTable(
                name: "SidebarSettings");
        }
    }
}
