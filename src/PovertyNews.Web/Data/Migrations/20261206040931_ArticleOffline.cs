using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// 下线时间: Articles.OfflineAt and Articles.WentOfflineAt, with an index on the first. Runs between
    /// <see cref="ArticleOfflineForeignKeysOff"/> and <see cref="ArticleOfflineForeignKeysOn"/>: SQLite would append
    /// the columns after the bodies, where every list query (which now reads OfflineAt) would walk their overflow
    /// pages, so the table is rebuilt by <see cref="ArticleColumnOrder"/>'s procedure with them before the bodies.
    /// </summary>
    public partial class ArticleOffline : Migration
    {
        private const string CopiedColumns = """
            "Id", "Slug", "Title", "Subtitle", "Summary", "ChannelId", "Kind", "Status", "PublishedAt", "CreatedAt",
            "UpdatedAt", "ViewCount", "Source", "ReprintedFrom", "Author", "ResponsibleEditor", "ContactHotline",
            "ContactWeChat", "CoverImageUrl", "CoverImageAlt", "VideoUrl", "VideoPosterUrl", "ImportHash", "Version",
            "CorrectedAt", "CorrectionNote", "OwnerId", "ReviewLevel", "WithdrawalReason", "WithdrawnAt",
            "PendingRevision", "PendingState", "PendingSince", "PendingReviewLevel",
            "BodyHtml", "BodyMarkdown"
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TEMP TABLE "ef_temp_ForeignKeys" ("Enforced" INTEGER NOT NULL
                    CONSTRAINT "foreign keys are on: rebuilding Articles would delete what refers to articles; start the app, which migrates with them off"
                    CHECK ("Enforced" = 0));
                """);
            migrationBuilder.Sql("""INSERT INTO "ef_temp_ForeignKeys" SELECT foreign_keys FROM pragma_foreign_keys;""");
            migrationBuilder.Sql("""DROP TABLE "ef_temp_ForeignKeys";""");
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_Articles" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_Articles" PRIMARY KEY AUTOINCREMENT,
                    "Slug" TEXT NOT NULL,
                    "Title" TEXT NOT NULL,
                    "Subtitle" TEXT NULL,
                    "Summary" TEXT NOT NULL,
                    "ChannelId" INTEGER NOT NULL,
                    "Kind" INTEGER NOT NULL,
                    "Status" INTEGER NOT NULL,
                    "PublishedAt" TEXT NULL,
                    "CreatedAt" TEXT NOT NULL,
                    "UpdatedAt" TEXT NOT NULL,
                    "ViewCount" INTEGER NOT NULL,
                    "Source" TEXT NULL,
                    "ReprintedFrom" TEXT NULL,
                    "Author" TEXT NULL,
                    "ResponsibleEditor" TEXT NULL,
                    "ContactHotline" TEXT NULL,
                    "ContactWeChat" TEXT NULL,
                    "CoverImageUrl" TEXT NULL,
                    "CoverImageAlt" TEXT NULL,
                    "VideoUrl" TEXT NULL,
                    "VideoPosterUrl" TEXT NULL,
                    "ImportHash" TEXT NULL,
                    "Version" TEXT NOT NULL,
                    "CorrectedAt" TEXT NULL,
                    "CorrectionNote" TEXT NULL,
                    "OwnerId" TEXT NULL,
                    "ReviewLevel" INTEGER NOT NULL DEFAULT 0,
                    "WithdrawalReason" TEXT NULL,
                    "WithdrawnAt" TEXT NULL,
                    "PendingRevision" INTEGER NULL,
                    "PendingState" INTEGER NOT NULL DEFAULT 0,
                    "PendingSince" INTEGER NULL,
                    "PendingReviewLevel" INTEGER NOT NULL DEFAULT 0,
                    "OfflineAt" TEXT NULL,
                    "WentOfflineAt" TEXT NULL,
                    "BodyHtml" TEXT NOT NULL,
                    "BodyMarkdown" TEXT NOT NULL,
                    CONSTRAINT "FK_Articles_Channels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "Channels" ("Id") ON DELETE RESTRICT
                );
                """);
            migrationBuilder.Sql($"""INSERT INTO "ef_temp_Articles" ({CopiedColumns}) SELECT {CopiedColumns} FROM "Articles";""");
            migrationBuilder.Sql("""
                UPDATE sqlite_sequence
                SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'Articles'), 0))
                WHERE name = 'ef_temp_Articles';
                """);
            migrationBuilder.Sql("""DROP TABLE "Articles";""");
            migrationBuilder.Sql("""ALTER TABLE "ef_temp_Articles" RENAME TO "Articles";""");
            migrationBuilder.Sql("""CREATE UNIQUE INDEX "IX_Articles_Slug" ON "Articles" ("Slug");""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_ChannelId_Status_PublishedAt" ON "Articles" ("ChannelId", "Status", "PublishedAt");""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_Kind_Status_PublishedAt" ON "Articles" ("Kind", "Status", "PublishedAt");""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_Status_PublishedAt" ON "Articles" ("Status", "PublishedAt");""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_OwnerId_Status" ON "Articles" ("OwnerId", "Status");""");
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_OfflineAt" ON "Articles" ("OfflineAt");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Articles_OfflineAt", table: "Articles");
            migrationBuilder.DropColumn(name: "OfflineAt", table: "Articles");
            migrationBuilder.DropColumn(name: "WentOfflineAt", table: "Articles");
        }
    }
}
