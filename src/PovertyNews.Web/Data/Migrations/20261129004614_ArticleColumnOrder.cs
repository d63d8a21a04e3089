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
    /// schema changes ALTER TABLE cannot make: foreign keys off (<see cref="ArticleColumnOrderForeignKeysOff"/>), then
    /// in one transaction copy, drop, rename and indexes, then foreign keys on (<see cref="ArticleColumnOrderForeignKeysOn"/>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Everything here is transactional, so EF Core commits it together with its history row: an interrupted run
    /// leaves the old table and no record, and the next run starts over. The pragmas live in migrations of their own
    /// because EF Core warns about (and cannot roll back) a non-transactional operation among others.
    /// </para>
    /// <para>
    /// The split has one gap: a process stopped after the pragma's migration is recorded but before this one commits
    /// comes back on a new connection, with enforcement on again, and dropping the old table would then delete the
    /// tags, reviews, revisions and placements of every article. So this migration first checks that enforcement is
    /// off and otherwise fails, changing nothing. The app's own start turns enforcement off for every migration
    /// (<c>FirstStart</c>), so it gets past the gap by itself.
    /// </para>
    /// <para>Column order has no meaning for EF Core, so <see cref="Down"/> leaves the table as it is.</para>
    /// </remarks>
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
            // SQLite has no IF or RAISE outside triggers; a failed CHECK is the plain-SQL way to stop a transaction,
            // and the constraint's name is its message.
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
