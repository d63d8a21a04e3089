using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PovertyNews.Web.Data.Migrations
{
    /// <summary>
    /// The open platform (issue 23): API keys and their daily use, webhook endpoints, events and deliveries, comments,
    /// Channels.CommentsWithoutReview and Articles.CommentsClosed. Runs between <see cref="OpenPlatformForeignKeysOff"/>
    /// and <see cref="OpenPlatformForeignKeysOn"/>: the Articles column goes before the bodies by
    /// <see cref="ArticleColumnOrder"/>'s rebuild, as in <see cref="NewsroomTools"/>.
    /// </summary>
    public partial class OpenPlatform : Migration
    {
        private const string CopiedColumns = """
            "Id", "Slug", "Title", "Subtitle", "Summary", "ChannelId", "Kind", "Status", "PublishedAt", "CreatedAt",
            "UpdatedAt", "ViewCount", "Source", "ReprintedFrom", "Author", "ResponsibleEditor", "ContactHotline",
            "ContactWeChat", "CoverImageUrl", "CoverImageAlt", "VideoUrl", "VideoPosterUrl", "ImportHash", "Version",
            "CorrectedAt", "CorrectionNote", "OwnerId", "ReviewLevel", "WithdrawalReason", "WithdrawnAt",
            "PendingRevision", "PendingState", "PendingSince", "PendingReviewLevel", "OfflineAt", "WentOfflineAt",
            "EmbargoUntil", "EmbargoNote", "RecycledAt", "BodyHtml", "BodyMarkdown"
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CommentsWithoutReview",
                table: "Channels",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // SQLite appends an added column after the bodies, where every read of it walks their overflow pages (see
            // ArticleColumnOrder): Articles is rebuilt by the same procedure, with CommentsClosed before the bodies.
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
                    "CommentsClosed" INTEGER NOT NULL DEFAULT 0,
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
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    SecretHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestsPerMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastUsedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UseCount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Comments",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false),
                    AuthorName = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Body = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ClientHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    FlaggedWords = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ModeratedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ModeratedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Reply = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    RepliedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RepliedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Comments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Comments_Articles_ArticleId",
                        column: x => x.ArticleId,
                        principalTable: "Articles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WebhookEndpoints",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Events = table.Column<int>(type: "INTEGER", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookEndpoints", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "WebhookEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ArticleId = table.Column<int>(type: "INTEGER", nullable: false),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FannedOutAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ApiKeyDailyUses",
                columns: table => new
                {
                    ApiKeyId = table.Column<int>(type: "INTEGER", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Requests = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeyDailyUses", x => new { x.ApiKeyId, x.Day });
                    table.ForeignKey(
                        name: "FK_ApiKeyDailyUses_ApiKeys_ApiKeyId",
                        column: x => x.ApiKeyId,
                        principalTable: "ApiKeys",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WebhookDeliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EventId = table.Column<long>(type: "INTEGER", nullable: false),
                    EndpointId = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LockedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastStatusCode = table.Column<int>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    LastDurationMs = table.Column<int>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WebhookDeliveries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WebhookDeliveries_WebhookEndpoints_EndpointId",
                        column: x => x.EndpointId,
                        principalTable: "WebhookEndpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_WebhookDeliveries_WebhookEvents_EventId",
                        column: x => x.EventId,
                        principalTable: "WebhookEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Prefix",
                table: "ApiKeys",
                column: "Prefix",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Comments_ArticleId_Status_CreatedAt",
                table: "Comments",
                columns: new[] { "ArticleId", "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Comments_ClientHash_CreatedAt",
                table: "Comments",
                columns: new[] { "ClientHash", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Comments_Status_CreatedAt",
                table: "Comments",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_EndpointId_CreatedAt",
                table: "WebhookDeliveries",
                columns: new[] { "EndpointId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_EventId_EndpointId",
                table: "WebhookDeliveries",
                columns: new[] { "EventId", "EndpointId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_WebhookDeliveries_Status_NextAttemptAt",
                table: "WebhookDeliveries",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WebhookEvents_FannedOutAt",
                table: "WebhookEvents",
                column: "FannedOutAt");

            migrationBuilder.CreateIndex(
                name: "IX_WebhookEvents_Key",
                table: "WebhookEvents",
                column: "Key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiKeyDailyUses");

            migrationBuilder.DropTable(
                name: "Comments");

            migrationBuilder.DropTable(
                name: "WebhookDeliveries");

            migrationBuilder.DropTable(
                name: "ApiKeys");

            migrationBuilder.DropTable(
                name: "WebhookEndpoints");

            migrationBuilder.DropTable(
                name: "WebhookEvents");

            migrationBuilder.DropColumn(
                name: "CommentsWithoutReview",
                table: "Channels");

            migrationBuilder.DropColumn(
                name: "CommentsClosed",
                table: "Articles");
        }
    }
}
