// The objects HubSpot files under "other": tasks and postal mail (activities) and projects.
// Custom objects land in this category too, but they are defined at run time, not here.
import type { ObjectSpec } from './spec.js';

export const otherObjects: readonly ObjectSpec[] = [
  {
    id: '0-27',
    name: 'tasks',
    labels: { singular: 'Task', plural: 'Tasks' },
    categories: ['other'],
    activity: true,
    primaryDisplayProperty: 'hs_task_subject',
    requiredProperties: ['hs_timestamp'],
    searchableProperties: ['hs_task_subject', 'hs_task_body'],
    groups: [{ name: 'taskinformation', label: 'Task information' }],
    properties: [
      {
        name: 'hs_timestamp',
        label: 'Due date',
        type: 'datetime',
        fieldType: 'date',
        description: "For tasks HubSpot's activity date is the due date.",
      },
      { name: 'hs_task_subject', label: 'Task title', type: 'string', fieldType: 'text' },
      { name: 'hs_task_body', label: 'Task notes', type: 'string', fieldType: 'html' },
      {
        name: 'hs_task_status',
        label: 'Task status',
        type: 'enumeration',
        fieldType: 'select',
        options: [
          { label: 'Not started', value: 'NOT_STARTED' },
          { label: 'In progress', value: 'IN_PROGRESS' },
          { label: 'Waiting', value: 'WAITING' },
          { label: 'Completed', value: 'COMPLETED' },
          { label: 'Deferred', value: 'DEFERRED' },
        ],
      },
      {
        name: 'hs_task_priority',
        label: 'Priority',
        type: 'enumeration',
        fieldType: 'select',
        options: [
          { label: 'None', value: 'NONE' },
          { label: 'Low', value: 'LOW' },
          { label: 'Medium', value: 'MEDIUM' },
          { label: 'High', value: 'HIGH' },
        ],
      },
      {
        name: 'hs_task_type',
        label: 'Task type',
        type: 'enumeration',
        fieldType: 'select',
        options: [
          { label: 'Email', value: 'EMAIL' },
          { label: 'Call', value: 'CALL' },
          { label: 'To-do', value: 'TODO' },
        ],
      },
      { name: 'hubspot_owner_id', label: 'Assigned to', type: 'string', fieldType: 'text' },
    ],
  },
  {
    id: '0-116',
    name: 'postal_mail',
    labels: { singular: 'Postal mail', plural: 'Postal mail' },
    categories: ['other'],
    activity: true,
    primaryDisplayProperty: 'hs_postal_mail_body',
    requiredProperties: ['hs_timestamp'],
    searchableProperties: ['hs_postal_mail_body'],
    groups: [{ name: 'postalmailinformation', label: 'Postal mail information' }],
    properties: [
      { name: 'hs_timestamp', label: 'Activity date', type: 'datetime', fieldType: 'date' },
      { name: 'hs_postal_mail_body', label: 'Body', type: 'string', fieldType: 'html' },
      { name: 'hubspot_owner_id', label: 'Activity assigned to', type: 'string', fieldType: 'text' },
    ],
  },
  {
    id: '0-970',
    name: 'projects',
    labels: { singular: 'Project', plural: 'Projects' },
    categories: ['other'],
    requiresActivation: true,
    primaryDisplayProperty: 'hs_name',
    requiredProperties: ['hs_name'],
    searchableProperties: ['hs_name', 'hs_description'],
    groups: [{ name: 'project_information', label: 'Project information' }],
    properties: [
      { name: 'hs_name', label: 'Project name', type: 'string', fieldType: 'text' },
      { name: 'hs_description', label: 'Description', type: 'string', fieldType: 'textarea' },
      { name: 'hs_start_date', label: 'Start date', type: 'date', fieldType: 'date' },
      { name: 'hs_target_due_date', label: 'Target due date', type: 'date', fieldType: 'date' },
      { name: 'hubspot_owner_id', label: 'Project owner', type: 'string', fieldType: 'text' },
    ],
  },
];
