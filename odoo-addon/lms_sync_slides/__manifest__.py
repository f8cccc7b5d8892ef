# Copyright 2026 odoo-lms-sync contributors
# License AGPL-3.0 or later (http://www.gnu.org/licenses/agpl).
{
    "name": "LMS Sync: eLearning course codes",
    "summary": "The course code of each eLearning course, so that the odoo-lms-sync service "
    "(LMS_ADAPTER=odoo-elearning) can enroll paying students into it",
    "version": "17.0.1.0.0",
    "category": "Website/eLearning",
    "website": "https://github.com/odoo-lms-sync/odoo-lms-sync",
    "author": "odoo-lms-sync contributors",
    "license": "AGPL-3",
    "depends": ["website_slides"],
    "data": [
        "views/slide_channel_views.xml",
    ],
    "installable": True,
    "application": False,
}
