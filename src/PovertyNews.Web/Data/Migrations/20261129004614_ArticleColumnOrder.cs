using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// Rebuilds the Articles table with the two bodies as its last columns, BodyHtml before BodyMarkdown. SQLite
    /// stores a row's columns in order and the bodies (several kilobytes) spill into a chain of overflow pages; a
    /// column after them is reached only by reading that whole chain. With the bodies in the middle, every list
    /// query (which reads Kind, Status, PublishedAt, CoverImageUrl) and the search ranking (which reads Source and
    /// Author) read three or four pages per article instead of one. The rebuild follows SQLite's procedure for
    /// schema changes ALTER TABLE cannot make: foreign keys off, copy, drop, rename, indexes, check.
    /// </summary>
    /// <remarks>Column order has no meaning for EF Core, so <see cref="Down"/> leaves the table as it is.</remarks>
    public partial class ArticleColumnOrder : Migration
    {
        private const string Columns = """
            "Id", "Slug", "Title", "Subtitle", "Summary", "ChannelId", "Kind", "Status", "PublishedAt", "CreatedAt",
            "UpdatedAt", "ViewCount", "Source", "ReprintedFrom", "Author", "ResponsibleEditor", "ContactHotline",
            "ContactWeChat", "CoverImageUrl", "CoverImageAlt", "VideoUrl", "VideoPosterUrl", "ImportHash", "Version",
            "CorrectedAt", "CorrectionNote", "OwnerId", "ReviewLevel", "WithdrawalReason", "WithdrawnAt",
            "BodyHtml", "BodyMarkdown"
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Dropping the old table with foreign keys on would cascade into tags, reviews, revisions and placements.
            // The pragma has no effect inside a transaction, so it runs outside the migration's.
            migrationBuilder.Sql("PRAGMA foreign_keys = 0;", suppressTransaction: true);

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
                    "BodyHtml" TEXT NOT NULL,
                    "BodyMarkdown" TEXT NOT NULL,
                    CONSTRAINT "FK_Articles_Channels_ChannelId" FOREIGN KEY ("ChannelId") REFERENCES "Channels" ("Id") ON DELETE RESTRICT
                );
                """);
            migrationBuilder.Sql($"""INSERT INTO "ef_temp_Articles" ({Columns}) SELECT {Columns} FROM "Articles";""");
            // AUTOINCREMENT: the new table's counter starts at the largest id copied; keep the old one if it is higher
            // (articles deleted from the end), so an id is never given twice.
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

            migrationBuilder.Sql("PRAGMA foreign_keys = 1;", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
