"""Pages of the portal: public pages for children and guardians (no account), and staff pages for
content managers and for the counsellors and directors who give invitation codes."""
