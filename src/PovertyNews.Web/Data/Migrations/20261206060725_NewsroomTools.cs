using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// The newsroom's tools: the inbox (Notifications, NotificationPreferences, OutgoingEmails), saved searches,
    /// search synonyms, tag redirects, reads by referring host, and on Articles 禁发 (EmbargoUntil, EmbargoNote) and
    /// the recycle bin (RecycledAt). Runs between <see cref="NewsroomToolsForeignKeysOff"/> and
    /// <see cref="NewsroomToolsForeignKeysOn"/>: the Articles columns go before the bodies by
    /// <see cref="ArticleColumnOrder"/>'s rebuild, as in <see cref="ArticleOffline"/>.
    /// </summary>
    public partial class NewsroomTools : Migration
    {
        private const string CopiedColumns = """
            "Id", "Slug", "Title", "Subtitle", "Summary", "ChannelId", "Kind", "Status", "PublishedAt", "CreatedAt",
            "UpdatedAt", "ViewCount", "Source", "ReprintedFrom", "Author", "ResponsibleEditor", "ContactHotline",
            "ContactWeChat", "CoverImageUrl", "CoverImageAlt", "VideoUrl", "VideoPosterUrl", "ImportHash", "Version",
            "CorrectedAt", "CorrectionNote", "OwnerId", "ReviewLevel", "WithdrawalReason", "WithdrawnAt",
            "PendingRevision", "PendingState", "PendingSince", "PendingReviewLevel", "OfflineAt", "WentOfflineAt",
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
                    "EmbargoUntil" TEXT NULL,
                    "EmbargoNote" TEXT NULL,
                    "RecycledAt" TEXT NULL,
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
            migrationBuilder.Sql("""CREATE INDEX "IX_Articles_RecycledAt" ON "Articles" ("RecycledAt");""");

            migrationBuilder.CreateTable(
                name: "ArticleDailyReferrers",
                columns: table => new
                {
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Host = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    Views = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArticleDailyReferrers", x => new { x.ArticleId, x.Day, x.Host });
                    table.ForeignKey(
                        name: "FK_ArticleDailyReferrers_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NotificationPreferences",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    InApp = table.Column<bool>(type: "INTEGER", nullable: false),
                    Email = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NotificationPreferences", x => new { x.UserId, x.Kind });
                    table.ForeignKey(
                        name: "FK_NotificationPreferences_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Notifications_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OutgoingEmails",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    To = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutgoingEmails", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SavedSearches",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Query = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Alert = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CheckedUpTo = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedSearches", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SavedSearches_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SearchSynonyms",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Words = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SearchSynonyms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TagRedirects",
                columns: table => new
                {
                    OldName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    TagId = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TagRedirects", x => x.OldName);
                    table.ForeignKey(
                        name: "FK_TagRedirects_Tags_TagId",
                        column: x => x.TagId,
                        principalTable: "Tags",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ArticleDailyReferrers_Day_Host",
                table: "ArticleDailyReferrers",
                columns: new[] { "Day", "Host" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_ArticleId",
                table: "Notifications",
                column: "ArticleId");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_CreatedAt",
                table: "Notifications",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_ReadAt_Id",
                table: "Notifications",
                columns: new[] { "UserId", "ReadAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_OutgoingEmails_SentAt_NextAttemptAt",
                table: "OutgoingEmails",
                columns: new[] { "SentAt", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SavedSearches_Alert",
                table: "SavedSearches",
                column: "Alert");

            migrationBuilder.CreateIndex(
                name: "IX_SavedSearches_UserId_Name",
                table: "SavedSearches",
                columns: new[] { "UserId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TagRedirects_TagId",
                table: "TagRedirects",
                column: "TagId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ArticleDailyReferrers");

            migrationBuilder.DropTable(
                name: "NotificationPreferences");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "OutgoingEmails");

            migrationBuilder.DropTable(
                name: "SavedSearches");

            migrationBuilder.DropTable(
                name: "SearchSynonyms");

            migrationBuilder.DropTable(
                name: "TagRedirects");

            migrationBuilder.DropIndex(
                name: "IX_Articles_RecycledAt",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "EmbargoNote",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "EmbargoUntil",
                table: "Articles");

            migrationBuilder.DropColumn(
                name: "RecycledAt",
                table: "Articles");
        }
    }
}
